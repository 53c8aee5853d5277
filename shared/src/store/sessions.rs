//! Login sessions between the password step and the passcode step.

use super::accounts::put_if_absent;
use super::client::{delete_item, to_item, DynamoStore, Item};
use super::keys::{self, SESSION};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::MfaSession;

/// A session as its item (the login's SMS writes it in its own transaction).
pub(super) fn session_item(session_hash: &str, session: &MfaSession) -> Result<Item, StoreError> {
    to_item(session, keys::session_pk(session_hash), SESSION)
}

impl DynamoStore {
    /// Opens a login session (its challenge recorded by `events`).
    pub async fn put_session(
        &self,
        session_hash: &str,
        session: &MfaSession,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let session = put_if_absent(&self.table, session_item(session_hash, session)?)?;
        self.transact(events, vec![session]).await
    }

    pub async fn get_session(&self, session_hash: &str) -> Result<Option<MfaSession>, StoreError> {
        self.get_model(keys::session_pk(session_hash), SESSION)
            .await
    }

    /// Removes a session whose SMS could not be sent, with the `events` that record it.
    pub async fn delete_session(
        &self,
        session_hash: &str,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let session = delete_item(&self.table, keys::session_pk(session_hash), SESSION)?;
        self.transact(events, vec![session]).await
    }
}
