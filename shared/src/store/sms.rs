//! What SMS cost: the user's send logs and the domain's hourly counter, written in the same
//! transaction as what the SMS is for (`model::SmsSpend`).

use super::client::{built, n, to_item, update, DynamoStore};
use super::keys::{self, attr};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::{DomainSmsHour, MfaSession, SendLog, SmsSpend};
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};

impl DynamoStore {
    /// The domain's SMS count in `hour` (nothing counted if there is no item yet).
    pub async fn get_domain_sms_hour(
        &self,
        domain_id: &str,
        hour: i64,
    ) -> Result<DomainSmsHour, StoreError> {
        let stored: Option<DomainSmsHour> = self
            .get_model(keys::domain_pk(domain_id), &keys::sms_hour_sk(hour))
            .await?;
        Ok(stored.unwrap_or(DomainSmsHour { hour, count: 0 }))
    }

    /// A login's SMS and the session it texts the passcode for, in one transaction: the
    /// budgets are spent only with a session to use the passcode in (`Conflict` when a
    /// concurrent send spent first).
    pub async fn spend_sms_for_session(
        &self,
        user_id: &str,
        spend: &SmsSpend,
        session_hash: &str,
        session: &MfaSession,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let mut items = self.sms_spend_items(user_id, spend)?;
        let session = super::sessions::session_item(session_hash, session)?;
        items.push(super::accounts::put_if_absent(&self.table, session)?);
        self.transact(events, items).await
    }

    /// The writes of one SMS: each log, if nobody else sent since it was read (its version is
    /// the lock), and one more in the domain's hour, if that stays within the budget.
    pub(super) fn sms_spend_items(
        &self,
        user_id: &str,
        spend: &SmsSpend,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let mut items = spend
            .logs
            .iter()
            .map(|(before, after)| self.send_log_put(user_id, before, after))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((domain_id, hour)) = &spend.domain {
            let hour_count = Update::builder()
                .table_name(&self.table)
                .set_key(Some(keys::key(
                    keys::domain_pk(domain_id),
                    &keys::sms_hour_sk(hour.hour),
                )))
                .update_expression(
                    "SET #count = if_not_exists(#count, :zero) + :one, #hour = :hour, #expires = :expires",
                )
                .condition_expression("attribute_not_exists(#count) OR #count < :max")
                .expression_attribute_names("#count", attr::COUNT)
                .expression_attribute_names("#hour", attr::HOUR)
                .expression_attribute_names("#expires", attr::EXPIRES_AT)
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":hour", n(hour.hour))
                .expression_attribute_values(":expires", n(hour.expires_at()))
                .expression_attribute_values(":max", n(spend.domain_max));
            items.push(update(hour_count)?);
        }
        Ok(items)
    }

    fn send_log_put(
        &self,
        user_id: &str,
        previous_log: &SendLog,
        log: &SendLog,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(
                log,
                keys::user_pk(user_id),
                &keys::send_log_sk(&log.number),
            )?));
        put = if previous_log.version == 0 {
            put.condition_expression("attribute_not_exists(PK)")
        } else {
            put.condition_expression("#version = :version")
                .expression_attribute_names("#version", attr::VERSION)
                .expression_attribute_values(":version", n(previous_log.version))
        };
        Ok(TransactWriteItem::builder()
            .put(built(put.build())?)
            .build())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::DomainSmsHour;

    #[test]
    fn the_hour_item_decodes_into_its_model() {
        let item = super::super::client::to_item(
            &DomainSmsHour { hour: 7, count: 3 },
            "DOMAIN#d".into(),
            "SMSHOUR#7",
        )
        .unwrap();
        let back: DomainSmsHour = super::super::client::from_item(item).unwrap();
        assert_eq!(back, DomainSmsHour { hour: 7, count: 3 });
    }
}
