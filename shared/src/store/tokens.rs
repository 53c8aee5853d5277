//! Bearer tokens, keyed by the SHA-256 of their id.

use super::accounts::put_if_absent;
use super::client::{built, n, s, to_item, DynamoStore};
use super::keys::{self, attr, DOMAIN, PROFILE, TOKEN};
use super::StoreError;
use crate::events::SecurityEvent;
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

    /// Stores a token that carries over the epochs of the token it was made from (a token
    /// login): it is revoked with that one, so nothing needs to be re-checked at write time.
    pub async fn put_token(&self, token_hash: &str, token: &Token) -> Result<(), StoreError> {
        self.transact(
            &[],
            vec![put_if_absent(
                &self.table,
                to_item(token, keys::token_pk(token_hash), TOKEN)?,
            )?],
        )
        .await
    }

    /// Revokes one token; `false` if there was no such token.
    pub async fn delete_token(
        &self,
        token_hash: &str,
        events: &[SecurityEvent],
    ) -> Result<bool, StoreError> {
        self.delete_recorded(keys::token_pk(token_hash), TOKEN, events)
            .await
    }

    /// Stores a token issued for a first factor (a password or an API key), provided that
    /// what the decision read still holds (`Conflict` otherwise): the user enabled under the
    /// same epochs and its domain with the same epoch; for a password also MFA off and both
    /// levels unchanged, for an API key the domain still allowing API-key logins.
    pub async fn put_first_factor_token(
        &self,
        token_hash: &str,
        token: &Token,
        seen: &User,
        domain: Option<&Domain>,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let by_password = token.is_password_only();
        let mut items = vec![
            put_if_absent(
                &self.table,
                to_item(token, keys::token_pk(token_hash), TOKEN)?,
            )?,
            self.profile_unchanged(seen, by_password)?,
        ];
        if let Some(domain_id) = &seen.domain_id {
            items.push(self.domain_unchanged(domain_id, domain, by_password)?);
        }
        self.transact(events, items).await
    }

    fn profile_unchanged(
        &self,
        seen: &User,
        mfa_off: bool,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut condition = format!(
            "#enabled = :true AND {} AND {}",
            unchanged("tokenEpoch"),
            unchanged("passwordTokenEpoch")
        );
        let mut check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(&seen.id), PROFILE)))
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_names("#tokenEpoch", attr::TOKEN_EPOCH)
            .expression_attribute_names("#passwordTokenEpoch", attr::PASSWORD_TOKEN_EPOCH)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":tokenEpoch", n(seen.token_epoch))
            .expression_attribute_values(":passwordTokenEpoch", n(seen.password_token_epoch));
        if mfa_off {
            condition.push_str(" AND #mfa.#enabled = :false AND ");
            check = check
                .expression_attribute_names("#mfa", attr::MFA)
                .expression_attribute_names("#level", attr::ENFORCEMENT_LEVEL)
                .expression_attribute_values(":false", AttributeValue::Bool(false));
            match seen.mfa.enforcement_level {
                None => condition.push_str("attribute_not_exists(#mfa.#level)"),
                Some(level) => {
                    condition.push_str("#mfa.#level = :level");
                    check = check.expression_attribute_values(":level", s(level.name()));
                }
            }
        }
        Ok(TransactWriteItem::builder()
            .condition_check(built(check.condition_expression(condition).build())?)
            .build())
    }

    /// The domain as read: absent, or with the same password-token epoch, and the same level
    /// (for a password) or still allowing API-key logins (for a key).
    fn domain_unchanged(
        &self,
        domain_id: &str,
        seen: Option<&Domain>,
        by_password: bool,
    ) -> Result<TransactWriteItem, StoreError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::domain_pk(domain_id), DOMAIN)));
        let check = match seen {
            None => check.condition_expression("attribute_not_exists(PK)"),
            Some(domain) => {
                let (rule, check) = match (by_password, domain.enforcement_level) {
                    (true, None) => ("attribute_not_exists(#level)", check),
                    (true, Some(level)) => (
                        "#level = :level",
                        check.expression_attribute_values(":level", s(level.name())),
                    ),
                    (false, _) => (
                        "(attribute_not_exists(#apiKeys) OR #apiKeys = :true)",
                        check
                            .expression_attribute_names("#apiKeys", attr::API_KEY_LOGINS)
                            .expression_attribute_values(":true", AttributeValue::Bool(true)),
                    ),
                };
                let check = if by_password {
                    check.expression_attribute_names("#level", attr::ENFORCEMENT_LEVEL)
                } else {
                    check
                };
                check
                    .condition_expression(format!("{rule} AND {}", unchanged("passwordTokenEpoch")))
                    .expression_attribute_names("#passwordTokenEpoch", attr::PASSWORD_TOKEN_EPOCH)
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
