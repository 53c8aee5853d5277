use super::keys::{self, attr};
use super::StoreError;
use crate::dependency_error::DYNAMODB;
use crate::events::SecurityEvent;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// Which items of a partition a query reads, by sort key.
#[derive(Clone, Copy, Debug)]
pub(super) enum SortKeys<'a> {
    All,
    Prefix(&'a str),
    /// Those that sort before this one.
    Below(&'a str),
}

/// The table, reached through one SDK client built once per cold start.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    pub(super) client: Client,
    pub(super) table: String,
}

impl DynamoStore {
    /// Writes `items` and the `events` that record them, all or nothing: an event can neither
    /// be lost by a change that happened nor invented by one that failed.
    pub(super) async fn transact(
        &self,
        events: &[SecurityEvent],
        mut items: Vec<TransactWriteItem>,
    ) -> Result<(), StoreError> {
        for event in events {
            items.push(self.event_put(event)?);
        }
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// Deletes one item, with the `events` that record it, if it exists; `false` if it did not.
    pub(super) async fn delete_recorded(
        &self,
        pk: String,
        sk: &str,
        events: &[SecurityEvent],
    ) -> Result<bool, StoreError> {
        let delete = delete_existing(&self.table, pk, sk)?;
        found(self.transact(events, vec![delete]).await)
    }

    /// Every item of a partition whose sort key is in `range`, strongly consistent, across
    /// result pages.
    pub(super) async fn query_partition(
        &self,
        pk: String,
        range: SortKeys<'_>,
    ) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .expression_attribute_values(":pk", s(pk.clone()))
                .consistent_read(true)
                .set_exclusive_start_key(start.take());
            query = match range {
                SortKeys::All => query.key_condition_expression("PK = :pk"),
                SortKeys::Prefix(prefix) => query
                    .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                    .expression_attribute_values(":prefix", s(prefix)),
                SortKeys::Below(bound) => query
                    .key_condition_expression("PK = :pk AND SK < :bound")
                    .expression_attribute_values(":bound", s(bound)),
            };
            let page = query.send().await.map_err(classify)?;
            items.extend(page.items.unwrap_or_default());
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(items),
            }
        }
    }

    /// Deletes one item, whether or not it exists.
    pub(super) async fn delete_item(&self, pk: String, sk: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk, sk)))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// One item by its keys (strongly consistent), decoded into its model.
    pub(super) async fn get_model<T: DeserializeOwned>(
        &self,
        pk: String,
        sk: &str,
    ) -> Result<Option<T>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        out.item.map(from_item).transpose()
    }
}

/// A model plus its keys, as an item.
pub(super) fn to_item<T: Serialize>(value: &T, pk: String, sk: &str) -> Result<Item, StoreError> {
    let mut item: Item =
        serde_dynamo::to_item(value).map_err(|e| StoreError::internal(e.to_string()))?;
    item.extend(keys::key(pk, sk));
    Ok(item)
}

pub(super) fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn to_value<T: Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).map_err(|e| StoreError::internal(e.to_string()))
}

pub(super) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// A write on the condition that its item exists: `Ok(false)` when it did not (the
/// `attribute_exists(PK)` condition failed), instead of a conflict.
pub(super) fn found<T>(write: Result<T, StoreError>) -> Result<bool, StoreError> {
    match write {
        Ok(_) => Ok(true),
        Err(StoreError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Sorts an SDK failure: a condition that did not hold (the state moved under us), else what
/// `dependency_error` makes of it (unavailable, 503; failed, 500).
pub(super) fn classify<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    if let SdkError::ServiceError(service) = &err {
        let code = service.err().code().unwrap_or_default();
        let message = service.err().message().unwrap_or_default();
        // A transaction refused because a condition failed or a concurrent transaction touched
        // the same item: either way, the state moved under us.
        let moved = code == "ConditionalCheckFailedException"
            || code == "TransactionConflictException"
            || (code == "TransactionCanceledException"
                && (message.contains("ConditionalCheckFailed")
                    || message.contains("TransactionConflict")));
        if moved {
            return StoreError::Conflict;
        }
    }
    StoreError::Dependency(DYNAMODB.classify(&err))
}

/// Holds while SMS is not the user's active second factor (see `User::factor_active`).
pub(super) const SMS_MFA_OFF: &str = "NOT (#mfa.#enabled = :true AND (attribute_not_exists(#mfa.#factorType) OR #mfa.#factorType = :sms))";

/// An update, as one item of a transaction.
pub(super) fn update(
    item: aws_sdk_dynamodb::types::builders::UpdateBuilder,
) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder()
        .update(built(item.build())?)
        .build())
}

/// A delete of one item on the condition that it exists, as one item of a transaction.
pub(super) fn delete_existing(
    table: &str,
    pk: String,
    sk: &str,
) -> Result<TransactWriteItem, StoreError> {
    delete(table, pk, sk, Some("attribute_exists(PK)"))
}

/// A delete of one item, as one item of a transaction.
pub(super) fn delete_item(
    table: &str,
    pk: String,
    sk: &str,
) -> Result<TransactWriteItem, StoreError> {
    delete(table, pk, sk, None)
}

fn delete(
    table: &str,
    pk: String,
    sk: &str,
    condition: Option<&str>,
) -> Result<TransactWriteItem, StoreError> {
    let delete = aws_sdk_dynamodb::types::Delete::builder()
        .table_name(table)
        .set_key(Some(keys::key(pk, sk)))
        .set_condition_expression(condition.map(str::to_owned));
    Ok(TransactWriteItem::builder()
        .delete(built(delete.build())?)
        .build())
}

pub(super) fn built<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, StoreError> {
    r.map_err(|e| StoreError::internal(e.to_string()))
}

pub(super) fn with_sms_mfa_names(
    update: aws_sdk_dynamodb::types::builders::UpdateBuilder,
) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
    update
        .expression_attribute_names("#mfa", attr::MFA)
        .expression_attribute_names("#enabled", attr::ENABLED)
        .expression_attribute_names("#factorType", attr::FACTOR_TYPE)
        .expression_attribute_values(":true", AttributeValue::Bool(true))
        .expression_attribute_values(":sms", s("SMS"))
}
