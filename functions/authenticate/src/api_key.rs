//! API-key login (`RAX-KSKEY:apiKeyCredentials`, BEHAVIOR.md 7.1): the key compared as a keyed
//! hash (no KMS call on the way), then `decide::after_api_key`, then a token written on the
//! condition that account and domain are as read.

use crate::attempts::{self, Credential};
use crate::issue::{issue_first_factor_token, Grant};
use crate::password::scope_is_known;
use crate::{decide, lookup, tenant, Asked};
use mfa_shared::commit::{self, Attempt, Budget};
use mfa_shared::error::msg;
use mfa_shared::events::Trail;
use mfa_shared::model::{Account, AuthMethod};
use mfa_shared::secrets::{constant_time_eq, keyed_hash, CodePurpose};
use mfa_shared::{ApiError, Body, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyCredentials {
    username: String,
    #[serde(rename = "apiKey")]
    api_key: String,
}

/// Compared when the user is unknown or has no key, so that the work is the same: no key's
/// keyed hash is this.
const NO_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub async fn login(
    services: &Services,
    trail: &Trail,
    c: ApiKeyCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    if c.username.trim().is_empty() || c.api_key.trim().is_empty() || !scope_is_known(&asked) {
        return Err(ApiError::bad_request(msg::BAD_AUTH_BODY));
    }
    let account = check_key(services, trail, &c).await?;
    let asked = &asked;
    commit::on_account(services, Budget::Login, account, |account| async move {
        let domain = lookup::domain_of(services, &account).await?;
        let scope = match decide::after_api_key(&account, domain.as_ref(), asked.scope.is_some()) {
            Ok(scope) => scope,
            Err(refusal) => {
                let user = &account.user;
                return Err(Credential::ApiKey
                    .refused(services, trail, user, refusal)
                    .await);
            }
        };
        let tenant = tenant::scope(services, &account.user, asked.tenant.as_ref()).await?;
        let grant = Grant {
            methods: vec![AuthMethod::Apikey],
            scope,
            tenant,
        };
        let first = Credential::ApiKey.event(trail, &account.user);
        let issued =
            issue_first_factor_token(services, &account.user, domain.as_ref(), grant, first);
        Ok(issued.await?.map_or(Attempt::Changed, Attempt::Done))
    })
    .await
}

/// The account whose key this is, or 401 (the same answer, reads and work for an unknown
/// user or a user without a key), or 429 once the username's attempt limit is reached.
async fn check_key(
    services: &Services,
    trail: &Trail,
    c: &ApiKeyCredentials,
) -> Result<Account, ApiError> {
    let pepper = services.pepper().get().await?;
    attempts::check(
        services,
        trail,
        Credential::ApiKey,
        &c.username,
        |account| {
            let (user_id, stored) = match account {
                Some(a) => (
                    a.user.id.as_str(),
                    a.api_key.as_ref().map(|k| k.hash.as_str()),
                ),
                None => (lookup::NO_USER, None),
            };
            let submitted = keyed_hash(pepper, CodePurpose::ApiKey, user_id, c.api_key.trim());
            constant_time_eq(stored.unwrap_or(NO_KEY), &submitted) && stored.is_some()
        },
    )
    .await
}
