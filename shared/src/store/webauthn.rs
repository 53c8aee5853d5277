//! WebAuthn devices (`USER#<id>` / `WEBAUTHN#<id>`), and each verified credential id's
//! reservation across users (`WEBAUTHNCRED#<sha256(id)>` / `CREDENTIAL`), so that a
//! credential belongs to one user only. The profile counts devices and verified devices in the
//! same transactions, as for OTP devices.

use super::accounts::put_if_absent;
use super::client::{built, n, s, update, DynamoStore, Item};
use super::device_counts::WEBAUTHN;
use super::keys::{self, attr, CREDENTIAL};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::WebAuthnDevice;
use crate::secrets::sha256_hex;
use crate::webauthn::Registered;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};
use std::collections::HashMap;

fn reservation_pk(credential_id: &str) -> String {
    keys::credential_pk(&sha256_hex(credential_id))
}

impl DynamoStore {
    /// Adds the unverified device unless the user already has `max_devices` (`Conflict`), and
    /// gives the user `handle` as its WebAuthn user handle unless it has one: a different one
    /// (set by a concurrent first registration) is a `Conflict` too.
    pub async fn add_webauthn_device(
        &self,
        user_id: &str,
        device: &WebAuthnDevice,
        handle: &str,
        max_devices: u32,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let profile = self
            .count_added(
                user_id,
                &WEBAUTHN,
                max_devices,
                ", #handle = :handle",
                " AND (attribute_not_exists(#handle) OR #handle = :handle)",
            )
            .expression_attribute_names("#handle", attr::WEBAUTHN_USER_HANDLE)
            .expression_attribute_values(":handle", s(handle));
        self.transact(
            events,
            vec![
                update(profile)?,
                put_if_absent(
                    &self.table,
                    super::client::to_item(device, pk, &keys::webauthn_sk(&device.id))?,
                )?,
            ],
        )
        .await
    }

    /// Verifies the device with its new credential: only if it is still unverified with the
    /// very ceremony that was checked (so a challenge is accepted once), and the credential id
    /// is no one's yet (`Conflict` otherwise).
    pub async fn verify_webauthn_device(
        &self,
        user_id: &str,
        device: &WebAuthnDevice,
        new: &Registered,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let state = device
            .registration
            .as_ref()
            .map(|r| r.state.clone())
            .unwrap_or_default();
        let verify = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), &keys::webauthn_sk(&device.id))))
            .update_expression(
                "SET #verified = :true, #credential = :credential, #credentialId = :id, #signCount = :signCount REMOVE #registration",
            )
            .condition_expression(
                "attribute_exists(PK) AND #verified = :false AND #registration.#state = :state",
            )
            .expression_attribute_names("#verified", attr::VERIFIED)
            .expression_attribute_names("#credential", attr::CREDENTIAL)
            .expression_attribute_names("#credentialId", attr::CREDENTIAL_ID)
            .expression_attribute_names("#signCount", attr::SIGN_COUNT)
            .expression_attribute_names("#registration", attr::REGISTRATION)
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":credential", s(&new.credential))
            .expression_attribute_values(":id", s(&new.credential_id))
            .expression_attribute_values(":signCount", n(new.sign_count))
            .expression_attribute_values(":state", s(state));
        let count = self.count_verified(user_id, &WEBAUTHN);
        let reservation: Item = HashMap::from([
            ("PK".to_owned(), s(reservation_pk(&new.credential_id))),
            ("SK".to_owned(), s(CREDENTIAL)),
            ("userId".to_owned(), s(user_id)),
            ("deviceId".to_owned(), s(&device.id)),
        ]);
        self.transact(
            events,
            vec![
                update(verify)?,
                update(count)?,
                put_if_absent(&self.table, reservation)?,
            ],
        )
        .await
    }

    /// Is this credential id registered to any user?
    pub async fn credential_id_taken(&self, credential_id: &str) -> Result<bool, StoreError> {
        #[derive(serde::Deserialize)]
        struct Reservation {}
        let found: Option<Reservation> = self
            .get_model(reservation_pk(credential_id), CREDENTIAL)
            .await?;
        Ok(found.is_some())
    }

    /// Deletes the device as it was read (same verified state) with its credential id's
    /// reservation. A verified device may not be the last verified one of a user whose active
    /// factor is WebAuthn (`Conflict` then).
    pub async fn delete_webauthn_device(
        &self,
        user_id: &str,
        device: &WebAuthnDevice,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let sk = keys::webauthn_sk(&device.id);
        let mut items = Vec::from(self.device_removal(user_id, &sk, device.verified, &WEBAUTHN)?);
        if let Some(id) = &device.credential_id {
            items.push(self.release_credential_id(id, user_id)?);
        }
        self.transact(events, items).await
    }

    /// Deletes a credential id's reservation, if it is this user's.
    pub(super) fn release_credential_id(
        &self,
        credential_id: &str,
        user_id: &str,
    ) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(reservation_pk(credential_id), CREDENTIAL)))
            .condition_expression("#userId = :userId")
            .expression_attribute_names("#userId", "userId")
            .expression_attribute_values(":userId", s(user_id));
        Ok(TransactWriteItem::builder()
            .delete(built(delete.build())?)
            .build())
    }
}
