//! Login sessions between the password step and the passcode step.

use super::client::{classify, to_item, DynamoStore, Item};
use super::keys::{self, SESSION};
use super::StoreError;
use crate::model::MfaSession;

/// A session as its item (the login's SMS writes it in its own transaction).
pub(super) fn session_item(session_hash: &str, session: &MfaSession) -> Result<Item, StoreError> {
    to_item(session, keys::session_pk(session_hash), SESSION)
}

impl DynamoStore {
    pub async fn put_session(
        &self,
        session_hash: &str,
        session: &MfaSession,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(session_item(session_hash, session)?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    pub async fn get_session(&self, session_hash: &str) -> Result<Option<MfaSession>, StoreError> {
        self.get_model(keys::session_pk(session_hash), SESSION)
            .await
    }

    /// Removes a session whose SMS could not be sent.
    pub async fn delete_session(&self, session_hash: &str) -> Result<(), StoreError> {
        self.delete_item(keys::session_pk(session_hash), SESSION)
            .await
    }
}
