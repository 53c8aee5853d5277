//! The profile's counters of OTP and WebAuthn devices, changed in the same transactions that
//! add, verify and delete the devices: the device limit and "the last verified device of the
//! active factor stays" then hold under concurrent requests, for both kinds alike.

use super::client::{built, n, s, update, DynamoStore};
use super::keys::{self, attr, PROFILE};
use super::StoreError;
use crate::model::FactorType;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};

/// One kind of counted device: its two profile counters and the factor it serves.
pub(super) struct Counted {
    pub count: &'static str,
    pub verified: &'static str,
    pub factor: FactorType,
}

pub(super) const OTP: Counted = Counted {
    count: attr::OTP_DEVICE_COUNT,
    verified: attr::VERIFIED_OTP_COUNT,
    factor: FactorType::Otp,
};

pub(super) const WEBAUTHN: Counted = Counted {
    count: attr::WEBAUTHN_DEVICE_COUNT,
    verified: attr::VERIFIED_WEBAUTHN_COUNT,
    factor: FactorType::WebAuthn,
};

impl DynamoStore {
    /// The profile update that counts one more device of the kind, unless the user has `max`
    /// already (the device limit). `also_set` and `also_if` extend its expressions (WebAuthn
    /// sets the user handle with it, once); they start with ", " and " AND ".
    pub(super) fn count_added(
        &self,
        user_id: &str,
        kind: &Counted,
        max: u32,
        also_set: &str,
        also_if: &str,
    ) -> UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(user_id), PROFILE)))
            .update_expression(format!(
                "SET #count = if_not_exists(#count, :zero) + :one{also_set}"
            ))
            .condition_expression(format!(
                "attribute_exists(PK) AND (attribute_not_exists(#count) OR #count < :max){also_if}"
            ))
            .expression_attribute_names("#count", kind.count)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":max", n(max))
    }

    /// The profile update that counts one more verified device of the kind.
    pub(super) fn count_verified(&self, user_id: &str, kind: &Counted) -> UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(user_id), PROFILE)))
            .update_expression("SET #verifiedCount = if_not_exists(#verifiedCount, :zero) + :one")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#verifiedCount", kind.verified)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
    }

    /// Deleting the device at `sk` as it was read (same verified state) and counting it off. A
    /// verified device may not be the last verified one of a user whose active factor is its
    /// kind: the transaction fails (`Conflict`) then.
    pub(super) fn device_removal(
        &self,
        user_id: &str,
        sk: &str,
        verified: bool,
        kind: &Counted,
    ) -> Result<[TransactWriteItem; 2], StoreError> {
        let pk = keys::user_pk(user_id);
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), sk)))
            .condition_expression("attribute_exists(PK) AND #verified = :seen")
            .expression_attribute_names("#verified", attr::VERIFIED)
            .expression_attribute_values(":seen", AttributeValue::Bool(verified));
        let count = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk, PROFILE)))
            .expression_attribute_names("#count", kind.count)
            .expression_attribute_values(":one", n(1));
        let count = if verified {
            count
                .update_expression(
                    "SET #count = #count - :one, #verifiedCount = #verifiedCount - :one",
                )
                .condition_expression(
                    "NOT (#mfa.#enabled = :true AND #mfa.#factorType = :factor) OR #verifiedCount > :one",
                )
                .expression_attribute_names("#verifiedCount", kind.verified)
                .expression_attribute_names("#mfa", attr::MFA)
                .expression_attribute_names("#enabled", attr::ENABLED)
                .expression_attribute_names("#factorType", attr::FACTOR_TYPE)
                .expression_attribute_values(":true", AttributeValue::Bool(true))
                .expression_attribute_values(":factor", s(kind.factor.name()))
        } else {
            count
                .update_expression("SET #count = #count - :one")
                .condition_expression("attribute_exists(PK)")
        };
        Ok([
            TransactWriteItem::builder()
                .delete(built(delete.build())?)
                .build(),
            update(count)?,
        ])
    }
}
