//! Domains: the enforcement level and its revocation epoch.

use super::client::{classify, found, n, s, update, DynamoStore};
use super::keys::{self, attr, DOMAIN};
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::{Domain, EnforcementLevel};
use aws_sdk_dynamodb::types::Update;

impl DynamoStore {
    pub async fn get_domain(&self, domain_id: &str) -> Result<Option<Domain>, StoreError> {
        self.get_model(keys::domain_pk(domain_id), DOMAIN).await
    }

    /// Stores the level if the domain exists (`Conflict` otherwise). Moving to REQUIRED also
    /// bumps the domain's password-token epoch in the same write: members' password-only
    /// tokens are revoked atomically, whatever the domain's size, and a retry cannot store the
    /// level without the revocation.
    pub async fn set_domain_level(
        &self,
        domain_id: &str,
        level: EnforcementLevel,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let mut domain = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::domain_pk(domain_id), DOMAIN)))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#level", attr::ENFORCEMENT_LEVEL)
            .expression_attribute_values(":level", s(level.name()));
        domain = match level {
            EnforcementLevel::Required => domain
                .update_expression(
                    "SET #level = :level, #epoch = if_not_exists(#epoch, :zero) + :one",
                )
                .expression_attribute_names("#epoch", attr::PASSWORD_TOKEN_EPOCH)
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1)),
            _ => domain.update_expression("SET #level = :level"),
        };
        self.transact(events, vec![update(domain)?]).await
    }

    /// Allows or forbids API-key logins for the domain's users; `false` if there is no such
    /// domain.
    pub async fn set_api_key_logins(
        &self,
        domain_id: &str,
        allowed: bool,
    ) -> Result<bool, StoreError> {
        found(
            self.client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(keys::key(keys::domain_pk(domain_id), DOMAIN)))
                .update_expression("SET #apiKeys = :allowed")
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_names("#apiKeys", attr::API_KEY_LOGINS)
                .expression_attribute_values(
                    ":allowed",
                    aws_sdk_dynamodb::types::AttributeValue::Bool(allowed),
                )
                .send()
                .await
                .map_err(classify),
        )
    }
}
