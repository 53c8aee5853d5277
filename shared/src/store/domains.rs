//! Domains: the enforcement level and the users that belong to each.

use super::client::{classify, s, DynamoStore};
use super::keys::{self, DOMAIN, MEMBER_PREFIX, PROFILE};
use super::StoreError;
use crate::model::{Domain, EnforcementLevel};

impl DynamoStore {
    pub async fn get_domain(&self, domain_id: &str) -> Result<Option<Domain>, StoreError> {
        self.get_model(keys::domain_pk(domain_id), DOMAIN).await
    }

    /// Stores the level if the domain exists (`Conflict` otherwise).
    pub async fn set_domain_level(
        &self,
        domain_id: &str,
        level: EnforcementLevel,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::domain_pk(domain_id), DOMAIN)))
            .update_expression("SET #level = :level")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#level", "enforcementLevel")
            .expression_attribute_values(":level", s(level.name()))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// The ids of the domain's users.
    pub async fn domain_member_ids(&self, domain_id: &str) -> Result<Vec<String>, StoreError> {
        let members = self
            .query_partition(keys::domain_pk(domain_id), Some(MEMBER_PREFIX))
            .await?;
        Ok(members
            .iter()
            .filter_map(|item| item.get("userId").and_then(|v| v.as_s().ok()).cloned())
            .collect())
    }

    /// Revokes the user's password-only tokens if, at write time, the user has MFA off and
    /// its own level is not OPTIONAL (a domain moving to REQUIRED). Returns whether it did.
    pub async fn revoke_password_tokens_unless_exempt(
        &self,
        user_id: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(user_id), PROFILE)))
            .update_expression("SET #valid = :now")
            .condition_expression(
                "attribute_exists(PK) AND #mfa.#enabled <> :true AND (attribute_not_exists(#mfa.#level) OR #mfa.#level <> :optional)",
            )
            .expression_attribute_names("#valid", "passwordTokensValidAfter")
            .expression_attribute_names("#mfa", "mfa")
            .expression_attribute_names("#enabled", "enabled")
            .expression_attribute_names("#level", "enforcementLevel")
            .expression_attribute_values(":now", super::client::n(now_ms))
            .expression_attribute_values(":true", aws_sdk_dynamodb::types::AttributeValue::Bool(true))
            .expression_attribute_values(":optional", s("OPTIONAL"))
            .send()
            .await
            .map_err(classify);
        match result {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
