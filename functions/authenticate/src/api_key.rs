//! API-key login (`RAX-KSKEY:apiKeyCredentials`, BEHAVIOR.md 7.1): never challenged, never
//! blocked by enforcement, even for MFA users — unless the user's domain forbids API-key
//! logins. The key is compared as a keyed hash: no KMS call on the way.

use crate::issue::{issue_first_factor_token, Grant};
use crate::password::scope_is_known;
use crate::{lookup, tenant, Asked};
use mfa_shared::error::msg;
use mfa_shared::model::{Account, AuthMethod, EnforcementLevel, SETUP_MFA_SCOPE};
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

/// How often the login reads again and decides again when the account or its domain changed
/// between the read and the token's conditional write.
const DECISION_RETRIES: usize = 5;

pub async fn login(
    services: &Services,
    c: ApiKeyCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    if c.username.trim().is_empty() || c.api_key.trim().is_empty() || !scope_is_known(&asked) {
        return Err(ApiError::bad_request(msg::BAD_AUTH_BODY));
    }
    let mut account = check_key(services, &c).await?;
    for _ in 0..DECISION_RETRIES {
        if let Some(answer) = decide(services, &account, &asked).await? {
            return Ok(answer);
        }
        account = services.reload_account(&account.user.id).await?;
    }
    Err(ApiError::Unavailable(
        "the account kept changing during an API-key login".into(),
    ))
}

/// The account whose key this is, or 401 (the same answer, reads and work for an unknown
/// user or a user without a key).
async fn check_key(services: &Services, c: &ApiKeyCredentials) -> Result<Account, ApiError> {
    let account = lookup::find_account(services, &c.username).await?;
    let pepper = services.pepper().get().await?;
    let (user_id, stored) = match &account {
        Some(a) => (
            a.user.id.as_str(),
            a.api_key.as_ref().map(|k| k.hash.as_str()),
        ),
        None => (lookup::NO_USER, None),
    };
    let submitted = keyed_hash(pepper, CodePurpose::ApiKey, user_id, c.api_key.trim());
    let matches = constant_time_eq(stored.unwrap_or(NO_KEY), &submitted) && stored.is_some();
    match account {
        Some(account) if matches => Ok(account),
        _ => {
            tracing::info!("API-key authentication failed");
            Err(ApiError::Unauthorized(msg::BAD_CREDENTIALS.to_owned()))
        }
    }
}

async fn decide(
    services: &Services,
    account: &Account,
    asked: &Asked,
) -> Result<Option<Response<Body>>, ApiError> {
    let user = &account.user;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username.clone()));
    }
    let domain = match &user.domain_id {
        Some(id) => services.store.get_domain(id).await?,
        None => None,
    };
    if domain.as_ref().is_some_and(|d| !d.api_key_logins) {
        return Err(ApiError::Forbidden(msg::API_KEY_LOGINS_OFF.to_owned()));
    }
    // A SETUP-MFA token may be had with a key too, on the password's terms (BEHAVIOR.md 11.10).
    let scope = match asked.scope.is_some() {
        false => None,
        true if !user.mfa.enabled
            && EnforcementLevel::requires_mfa(
                user.mfa.enforcement_level,
                domain.as_ref().and_then(|d| d.enforcement_level),
            ) =>
        {
            Some(SETUP_MFA_SCOPE)
        }
        true => {
            return Err(ApiError::Forbidden(
                msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
            ))
        }
    };
    let tenant = tenant::scope(services, user, asked.tenant.as_ref()).await?;
    let grant = Grant {
        methods: vec![AuthMethod::Apikey],
        scope,
        tenant,
    };
    issue_first_factor_token(services, user, domain.as_ref(), grant).await
}
