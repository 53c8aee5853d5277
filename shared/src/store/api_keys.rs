//! Users' API keys (`USER#<id>` / `APIKEY`).

use super::client::{to_item, DynamoStore};
use super::keys::{self, API_KEY, PROFILE};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::ApiKey;
use aws_sdk_dynamodb::types::{ConditionCheck, Put, TransactWriteItem};

impl DynamoStore {
    /// Stores the user's key in place of any earlier one, if the user exists.
    pub async fn put_api_key(
        &self,
        user_id: &str,
        key: &ApiKey,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let user = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(user_id), PROFILE)))
            .condition_expression("attribute_exists(PK)");
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(key, keys::user_pk(user_id), API_KEY)?));
        self.transact(
            events,
            vec![
                TransactWriteItem::builder()
                    .condition_check(super::client::built(user.build())?)
                    .build(),
                TransactWriteItem::builder()
                    .put(super::client::built(put.build())?)
                    .build(),
            ],
        )
        .await
    }

    /// Deletes the user's key; `false` if it had none.
    pub async fn delete_api_key(
        &self,
        user_id: &str,
        events: &[SecurityEvent],
    ) -> Result<bool, StoreError> {
        self.delete_recorded(keys::user_pk(user_id), API_KEY, events)
            .await
    }
}
