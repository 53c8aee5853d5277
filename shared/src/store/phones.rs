//! The user's one mobile phone and its verification PIN.

use super::accounts::put_if_absent;
use super::client::{
    built, classify, n, s, to_item, to_value, update, with_sms_mfa_names, DynamoStore, SMS_MFA_OFF,
};
use super::keys::{self, attr, PROFILE};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::{MobilePhone, PendingPin, SmsSpend};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};

impl DynamoStore {
    /// Links `phone` to the user in place of `replaced` (or of no phone). Fails with `Conflict`
    /// when the user's phone changed meanwhile or SMS MFA became active.
    pub async fn replace_phone(
        &self,
        user_id: &str,
        phone: &MobilePhone,
        replaced: Option<&MobilePhone>,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let current = match replaced {
            Some(_) => "#phoneId = :old",
            None => "attribute_not_exists(#phoneId)",
        };
        let mut link = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), PROFILE)))
            .update_expression("SET #phoneId = :new")
            .condition_expression(format!(
                "attribute_exists(PK) AND {current} AND {SMS_MFA_OFF}"
            ))
            .expression_attribute_names("#phoneId", attr::PHONE_ID)
            .expression_attribute_values(":new", s(&phone.id));
        link = with_sms_mfa_names(link);
        if let Some(old) = replaced {
            link = link.expression_attribute_values(":old", s(&old.id));
        }
        let mut items = vec![
            update(link)?,
            put_if_absent(
                &self.table,
                to_item(phone, pk.clone(), &keys::phone_sk(&phone.id))?,
            )?,
        ];
        if let Some(old) = replaced {
            let delete = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(keys::key(pk, &keys::phone_sk(&old.id))));
            items.push(
                TransactWriteItem::builder()
                    .delete(built(delete.build())?)
                    .build(),
            );
        }
        self.transact(events, items).await
    }

    /// Unlinks and deletes the phone unless SMS MFA is active (then `Conflict`).
    pub async fn delete_phone(
        &self,
        user_id: &str,
        phone_id: &str,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let unlink = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), PROFILE)))
            .update_expression("REMOVE #phoneId")
            .condition_expression(format!("#phoneId = :id AND {SMS_MFA_OFF}"))
            .expression_attribute_names("#phoneId", attr::PHONE_ID)
            .expression_attribute_values(":id", s(phone_id));
        let unlink = with_sms_mfa_names(unlink);
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk, &keys::phone_sk(phone_id))))
            .condition_expression("attribute_exists(PK)");
        self.transact(
            events,
            vec![
                update(unlink)?,
                TransactWriteItem::builder()
                    .delete(built(delete.build())?)
                    .build(),
            ],
        )
        .await
    }

    /// Stores a new PIN on an unverified phone and spends its SMS, if nobody else sent
    /// meanwhile and the budgets still hold (`Conflict` otherwise).
    pub async fn store_pin(
        &self,
        user_id: &str,
        phone_id: &str,
        pin: &PendingPin,
        spend: &SmsSpend,
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let set_pin = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), &keys::phone_sk(phone_id))))
            .update_expression("SET #pin = :pin")
            .condition_expression("attribute_exists(PK) AND #verified = :false")
            .expression_attribute_names("#pin", attr::PIN)
            .expression_attribute_names("#verified", attr::VERIFIED)
            .expression_attribute_values(":pin", to_value(pin)?)
            .expression_attribute_values(":false", AttributeValue::Bool(false));
        let mut items = vec![update(set_pin)?];
        items.extend(self.sms_spend_items(user_id, spend)?);
        self.transact(&[], items).await
    }

    /// Undoes `store_pin`'s PIN when the SMS could not be sent: puts back the previous PIN
    /// (or none), provided ours is still the stored one. The send stays counted.
    pub async fn restore_pin(
        &self,
        user_id: &str,
        phone_id: &str,
        ours: &PendingPin,
        previous: Option<&PendingPin>,
    ) -> Result<(), StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(
                keys::user_pk(user_id),
                &keys::phone_sk(phone_id),
            )))
            .condition_expression("#pin.#hash = :ours")
            .expression_attribute_names("#pin", attr::PIN)
            .expression_attribute_names("#hash", attr::HASH)
            .expression_attribute_values(":ours", s(&ours.hash));
        update = match previous {
            Some(p) => update
                .update_expression("SET #pin = :previous")
                .expression_attribute_values(":previous", to_value(p)?),
            None => update.update_expression("REMOVE #pin"),
        };
        update.send().await.map_err(classify)?;
        Ok(())
    }

    /// Counts one wrong PIN atomically (parallel wrong guesses each count), if the PIN is
    /// still the one that was checked.
    pub async fn record_pin_failure(
        &self,
        user_id: &str,
        phone_id: &str,
        checked: &PendingPin,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(
                keys::user_pk(user_id),
                &keys::phone_sk(phone_id),
            )))
            .update_expression("SET #pin.#attempts = #pin.#attempts + :one")
            .condition_expression("#pin.#hash = :hash")
            .expression_attribute_names("#pin", attr::PIN)
            .expression_attribute_names("#hash", attr::HASH)
            .expression_attribute_names("#attempts", attr::FAILED_ATTEMPTS)
            .expression_attribute_values(":hash", s(&checked.hash))
            .expression_attribute_values(":one", n(1))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Marks the phone verified and consumes the PIN, if it is still the one that was checked
    /// and still under the attempt limit at write time (so parallel guesses cannot outrun it,
    /// and two verifications cannot both use it).
    pub async fn mark_phone_verified(
        &self,
        user_id: &str,
        phone_id: &str,
        checked: &PendingPin,
        max_attempts: u32,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let phone = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(
                keys::user_pk(user_id),
                &keys::phone_sk(phone_id),
            )))
            .update_expression("SET #verified = :true REMOVE #pin")
            .condition_expression(
                "#verified = :false AND #pin.#hash = :hash AND #pin.#attempts < :max",
            )
            .expression_attribute_names("#pin", attr::PIN)
            .expression_attribute_names("#hash", attr::HASH)
            .expression_attribute_names("#attempts", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#verified", attr::VERIFIED)
            .expression_attribute_values(":hash", s(&checked.hash))
            .expression_attribute_values(":max", n(max_attempts))
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false));
        self.transact(events, vec![update(phone)?]).await
    }
}
