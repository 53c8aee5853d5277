//! Users, usernames and domains.

use super::client::{classify, found, from_item, n, s, to_item, DynamoStore, Item, SortKeys};
use super::keys::{
    self, attr, API_KEY, BYPASS_PREFIX, DOMAIN, OTP_PREFIX, PHONE_PREFIX, PROFILE, SEND_LOG_PREFIX,
    WEBAUTHN_PREFIX,
};
use super::StoreError;
use crate::model::{Account, User};
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use std::collections::HashMap;

use super::logins::USERNAME;

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("a user with that username already exists")]
    DuplicateUsername,
    /// The domain would be new, but its id is another domain's tenant id.
    #[error("the domain id is taken by a tenant of another domain")]
    DomainIdTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DynamoStore {
    /// The user's partition (profile, phone, devices, send logs…) in one strongly consistent
    /// Query, but for its security events: they sort after everything else (`EVENT_PREFIX`),
    /// so that however many a user has, loading the account never reads them.
    pub async fn load_account(&self, user_id: &str) -> Result<Option<Account>, StoreError> {
        let mut user = None;
        let mut phone = None;
        let mut send_logs = Vec::new();
        let mut otp_devices: Vec<crate::model::OtpDevice> = Vec::new();
        let mut webauthn_devices: Vec<crate::model::WebAuthnDevice> = Vec::new();
        let mut bypass_codes = Vec::new();
        let mut api_key = None;
        let state = SortKeys::Below(keys::EVENT_PREFIX);
        for item in self.query_partition(keys::user_pk(user_id), state).await? {
            let sk = item
                .get("SK")
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default();
            if sk == PROFILE {
                user = Some(from_item::<User>(item)?);
            } else if sk.starts_with(PHONE_PREFIX) {
                phone = Some(from_item(item)?);
            } else if sk.starts_with(OTP_PREFIX) {
                otp_devices.push(from_item(item)?);
            } else if sk.starts_with(WEBAUTHN_PREFIX) {
                webauthn_devices.push(from_item(item)?);
            } else if sk.starts_with(BYPASS_PREFIX) {
                bypass_codes.push(from_item(item)?);
            } else if sk.starts_with(SEND_LOG_PREFIX) {
                send_logs.push(from_item(item)?);
            } else if sk == API_KEY {
                api_key = Some(from_item(item)?);
            }
        }
        // DECISIONS.md 25: listing order is creation time.
        otp_devices.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        webauthn_devices.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(user.map(|user| Account {
            user,
            phone,
            otp_devices,
            webauthn_devices,
            send_logs,
            bypass_codes,
            api_key,
        }))
    }

    pub async fn get_user(&self, user_id: &str) -> Result<Option<User>, StoreError> {
        self.get_model(keys::user_pk(user_id), PROFILE).await
    }

    pub async fn find_user_id(&self, username: &str) -> Result<Option<String>, StoreError> {
        Ok(self.find_login(username).await?.user_id)
    }

    /// Creates the user, reserves its username, and creates its domain on first use
    /// (enforcement unset, which reads as OPTIONAL) — all or nothing.
    pub async fn create_user(&self, user: &User) -> Result<(), CreateUserError> {
        let username_item: Item = HashMap::from([
            ("PK".to_owned(), s(keys::username_pk(&user.username))),
            ("SK".to_owned(), s(USERNAME)),
            ("userId".to_owned(), s(&user.id)),
        ]);
        let mut items = vec![
            put_if_absent(&self.table, username_item)?,
            put_if_absent(
                &self.table,
                to_item(user, keys::user_pk(&user.id), PROFILE)?,
            )?,
        ];
        if let Some(domain_id) = &user.domain_id {
            let update = Update::builder()
                .table_name(&self.table)
                .set_key(Some(keys::key(keys::domain_pk(domain_id), DOMAIN)))
                .update_expression(
                    "SET #id = if_not_exists(#id, :id), #enabled = if_not_exists(#enabled, :true)",
                )
                .expression_attribute_names("#id", attr::ID)
                .expression_attribute_names("#enabled", attr::ENABLED)
                .expression_attribute_values(":id", s(domain_id))
                .expression_attribute_values(
                    ":true",
                    aws_sdk_dynamodb::types::AttributeValue::Bool(true),
                )
                .build()
                .map_err(|e| StoreError::internal(e.to_string()))?;
            items.push(TransactWriteItem::builder().update(update).build());
            // Its default tenant's id is the domain id: no other domain's tenant may have it.
            items.push(self.tenant_id_free(domain_id)?);
        }
        match self.transact(&[], items).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict) if self.find_user_id(&user.username).await?.is_none() => {
                Err(CreateUserError::DomainIdTaken)
            }
            Err(StoreError::Conflict) => Err(CreateUserError::DuplicateUsername),
            Err(e) => Err(e.into()),
        }
    }
}

pub(super) fn put_if_absent(table: &str, item: Item) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(PK)")
        .build()
        .map_err(|e| StoreError::internal(e.to_string()))?;
    Ok(TransactWriteItem::builder().put(put).build())
}

impl DynamoStore {
    /// Enables or disables a user. Disabling also revokes every token and login session
    /// issued until now (a new token epoch; DECISIONS.md 13). Returns false when there is no
    /// such user.
    pub async fn set_user_enabled(&self, user_id: &str, enabled: bool) -> Result<bool, StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(user_id), PROFILE)))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_values(":enabled", AttributeValue::Bool(enabled));
        update = if enabled {
            update.update_expression("SET #enabled = :enabled")
        } else {
            update
                .update_expression(
                    "SET #enabled = :enabled, #epoch = if_not_exists(#epoch, :zero) + :one",
                )
                .expression_attribute_names("#epoch", attr::TOKEN_EPOCH)
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
        };
        found(update.send().await.map_err(classify))
    }
}
