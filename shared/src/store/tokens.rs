//! Bearer tokens, keyed by the SHA-256 of their id.

use super::client::{classify, to_item, DynamoStore};
use super::keys::{self, TOKEN};
use super::StoreError;
use crate::model::Token;

impl DynamoStore {
    pub async fn get_token(&self, token_hash: &str) -> Result<Option<Token>, StoreError> {
        self.get_model(keys::token_pk(token_hash), TOKEN).await
    }

    pub async fn put_token(&self, token_hash: &str, token: &Token) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(token, keys::token_pk(token_hash), TOKEN)?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
