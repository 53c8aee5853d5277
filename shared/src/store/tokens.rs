//! Bearer tokens, keyed by the SHA-256 of their id.

use super::accounts::put_if_absent;
use super::client::{built, n, s, to_item, DynamoStore};
use super::keys::{self, DOMAIN, PROFILE, TOKEN};
use super::StoreError;
use crate::model::{domain_epoch, Domain, Token, User};
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem};

/// `#name` still holds `:name`'s value, or is absent where the value read was its default.
pub(super) fn unchanged(name: &str) -> String {
    format!("(attribute_not_exists(#{name}) OR #{name} = :{name})")
}

impl DynamoStore {
    pub async fn get_token(&self, token_hash: &str) -> Result<Option<Token>, StoreError> {
        self.get_model(keys::token_pk(token_hash), TOKEN).await
    }

    /// Stores a token issued by the password step, provided that what the decision read still
    /// holds (`Conflict` otherwise): the user enabled, MFA off, its level and revocation epochs
    /// unchanged, and its domain's level and epoch unchanged.
    pub async fn put_password_token(
        &self,
        token_hash: &str,
        token: &Token,
        seen: &User,
        domain: Option<&Domain>,
    ) -> Result<(), StoreError> {
        let mut items = vec![
            put_if_absent(
                &self.table,
                to_item(token, keys::token_pk(token_hash), TOKEN)?,
            )?,
            self.profile_unchanged(seen)?,
        ];
        if let Some(domain_id) = &seen.domain_id {
            items.push(self.domain_unchanged(domain_id, domain)?);
        }
        self.transact(items).await
    }

    fn profile_unchanged(&self, seen: &User) -> Result<TransactWriteItem, StoreError> {
        let level = match seen.mfa.enforcement_level {
            None => "attribute_not_exists(#mfa.#level)".to_owned(),
            Some(_) => "#mfa.#level = :level".to_owned(),
        };
        let mut check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(&seen.id), PROFILE)))
            .condition_expression(format!(
                "#enabled = :true AND #mfa.#mfaEnabled = :false AND {level} AND {} AND {}",
                unchanged("tokenEpoch"),
                unchanged("passwordTokenEpoch"),
            ))
            .expression_attribute_names("#enabled", "enabled")
            .expression_attribute_names("#mfa", "mfa")
            .expression_attribute_names("#mfaEnabled", "enabled")
            .expression_attribute_names("#level", "enforcementLevel")
            .expression_attribute_names("#tokenEpoch", "tokenEpoch")
            .expression_attribute_names("#passwordTokenEpoch", "passwordTokenEpoch")
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":tokenEpoch", n(seen.token_epoch))
            .expression_attribute_values(":passwordTokenEpoch", n(seen.password_token_epoch));
        if let Some(level) = seen.mfa.enforcement_level {
            check = check.expression_attribute_values(":level", s(level.name()));
        }
        Ok(TransactWriteItem::builder()
            .condition_check(built(check.build())?)
            .build())
    }

    /// The domain as read: absent, or with the same level and password-token epoch.
    fn domain_unchanged(
        &self,
        domain_id: &str,
        seen: Option<&Domain>,
    ) -> Result<TransactWriteItem, StoreError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::domain_pk(domain_id), DOMAIN)));
        let check = match seen {
            None => check.condition_expression("attribute_not_exists(PK)"),
            Some(domain) => {
                let (level, check) = match domain.enforcement_level {
                    None => ("attribute_not_exists(#level)", check),
                    Some(level) => (
                        "#level = :level",
                        check.expression_attribute_values(":level", s(level.name())),
                    ),
                };
                check
                    .condition_expression(format!(
                        "{level} AND {}",
                        unchanged("passwordTokenEpoch")
                    ))
                    .expression_attribute_names("#level", "enforcementLevel")
                    .expression_attribute_names("#passwordTokenEpoch", "passwordTokenEpoch")
                    .expression_attribute_values(
                        ":passwordTokenEpoch",
                        n(domain_epoch(Some(domain))),
                    )
            }
        };
        Ok(TransactWriteItem::builder()
            .condition_check(built(check.build())?)
            .build())
    }
}
