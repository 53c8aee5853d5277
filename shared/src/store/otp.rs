//! OTP devices. The profile counts devices and verified devices in the same transactions
//! that add, verify and delete them, so the device limit and the "last verified device of an
//! OTP user" rule hold under concurrent requests.

use super::client::{n, to_item, update, DynamoStore};
use super::device_counts::OTP;
use super::keys::{self, attr};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::OtpDevice;
use aws_sdk_dynamodb::types::{AttributeValue, Update};

impl DynamoStore {
    /// Adds the device unless the user already has `max_devices` (then `Conflict`).
    pub async fn add_otp_device(
        &self,
        user_id: &str,
        device: &OtpDevice,
        max_devices: u32,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let count = self.count_added(user_id, &OTP, max_devices, "", "");
        self.transact(
            events,
            vec![
                update(count)?,
                super::accounts::put_if_absent(
                    &self.table,
                    to_item(device, pk, &keys::otp_sk(&device.id))?,
                )?,
            ],
        )
        .await
    }

    /// Marks the device verified and remembers `step` as its last accepted one, if it was
    /// unverified and no later step was accepted meanwhile.
    pub async fn verify_otp_device(
        &self,
        user_id: &str,
        device_id: &str,
        step: i64,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let pk = keys::user_pk(user_id);
        let device = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk.clone(), &keys::otp_sk(device_id))))
            .update_expression("SET #verified = :true, #last = :step")
            .condition_expression(
                "attribute_exists(PK) AND #verified = :false AND (attribute_not_exists(#last) OR #last < :step)",
            )
            .expression_attribute_names("#verified", attr::VERIFIED)
            .expression_attribute_names("#last", attr::LAST_STEP)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":step", n(step));
        let count = self.count_verified(user_id, &OTP);
        self.transact(events, vec![update(device)?, update(count)?])
            .await
    }

    /// Deletes the device as it was read (same verified state). A verified device may not be
    /// the last verified one of a user whose active factor is OTP (`Conflict` then).
    pub async fn delete_otp_device(
        &self,
        user_id: &str,
        device: &OtpDevice,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let sk = keys::otp_sk(&device.id);
        let removal = self.device_removal(user_id, &sk, device.verified, &OTP)?;
        self.transact(events, removal.into()).await
    }
}
