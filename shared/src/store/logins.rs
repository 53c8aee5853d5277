//! A username's partition as a login reads it: the username's user id and its failed
//! first-factor attempts (`PasswordLimit`), in one Query — known or unknown, the same read.

use super::client::{built, classify, from_item, n, s, DynamoStore, SortKeys};
use super::keys::{self, attr};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::{LoginFailures, PasswordLimit};
use crate::secrets::random_hex;
use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};

pub(super) const USERNAME: &str = "USERNAME";
const FAILURES: &str = "FAILURES";

/// What a login finds under a username.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginName {
    pub user_id: Option<String>,
    pub failures: Option<LoginFailures>,
}

impl DynamoStore {
    /// The username's user id and failure record: one strongly consistent Query.
    pub async fn find_login(&self, username: &str) -> Result<LoginName, StoreError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct UsernameItem {
            user_id: String,
        }
        let mut found = LoginName::default();
        for item in self
            .query_partition(keys::username_pk(username), SortKeys::All)
            .await?
        {
            match item
                .get("SK")
                .and_then(|sk| sk.as_s().ok())
                .map(String::as_str)
            {
                Some(USERNAME) => found.user_id = Some(from_item::<UsernameItem>(item)?.user_id),
                Some(FAILURES) => found.failures = Some(from_item(item)?),
                _ => {}
            }
        }
        Ok(found)
    }

    /// Counts one more failure into the window that starts at `window_start`, if the record
    /// still holds that window and fewer than the limit (`Conflict` otherwise: read again).
    /// An atomic increment, so that parallel attempts in one window never conflict with each
    /// other, and the condition lets no more than the limit through.
    pub async fn add_login_failure(
        &self,
        username: &str,
        window_start: i64,
        limit: &PasswordLimit,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::username_pk(username), FAILURES)))
            .update_expression("SET #failures = #failures + :one")
            .condition_expression("#start = :start AND #failures < :max")
            .expression_attribute_names("#failures", attr::FAILURES)
            .expression_attribute_names("#start", attr::WINDOW_START)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":start", n(window_start))
            .expression_attribute_values(":max", n(limit.max_failures))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Starts a new window with this failure, replacing the record read (none, or one whose
    /// window has ended) if it is still that record (`Conflict` otherwise: read again).
    pub async fn start_login_failures(
        &self,
        username: &str,
        seen: Option<&LoginFailures>,
        first: &LoginFailures,
        limit: &PasswordLimit,
    ) -> Result<(), StoreError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("PK", s(keys::username_pk(username)))
            .item("SK", s(FAILURES))
            .item(attr::FAILURES, n(first.failures))
            .item(attr::WINDOW_START, n(first.window_start))
            .item(attr::EXPIRES_AT, n(limit.expires_at_secs(first)));
        let put = match seen {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(seen) => put
                .condition_expression("#start = :start")
                .expression_attribute_names("#start", attr::WINDOW_START)
                .expression_attribute_values(":start", n(seen.window_start)),
        };
        put.send().await.map_err(classify)?;
        Ok(())
    }

    /// A refused first factor: its event for a known user (`refused`). Known or not, the
    /// refusal is one transaction of two items in two partitions — a check of the username's
    /// item that always passes, and the event's put or, for an unknown username, a check that
    /// an item that cannot exist does not — so that its time says nothing about the username.
    /// Neither touches the failure record: its writes are not transactions, and a transaction
    /// holding it would make them fail.
    pub async fn record_login_failure(
        &self,
        username: &str,
        refused: Option<&SecurityEvent>,
    ) -> Result<(), StoreError> {
        let check = |pk: String, sk: &str, condition: &str| {
            let check = ConditionCheck::builder()
                .table_name(&self.table)
                .set_key(Some(keys::key(pk, sk)))
                .condition_expression(condition);
            built(check.build()).map(|c| TransactWriteItem::builder().condition_check(c).build())
        };
        let always = "attribute_exists(PK) OR attribute_not_exists(PK)";
        let mut items = vec![check(keys::username_pk(username), USERNAME, always)?];
        if refused.is_none() {
            let nobody = keys::user_pk(&random_hex(16));
            items.push(check(
                nobody,
                &keys::event_sk("none"),
                "attribute_not_exists(PK)",
            )?);
        }
        self.transact(refused.map(std::slice::from_ref).unwrap_or_default(), items)
            .await
    }

    /// Forgets the failures after a success.
    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        self.delete_item(keys::username_pk(username), FAILURES)
            .await
    }
}
