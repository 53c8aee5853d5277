//! Tokens: a new one, stored on the condition that what it was decided on still holds (or
//! handed to the passcode step's transaction), and the `access` body.

use crate::decide::USER_NAME;
use mfa_shared::events::SecurityEvent;
use mfa_shared::http::json_response;
use mfa_shared::model::{domain_epoch, now_ms, AuthMethod, Domain, TenantRef, Token, User};
use mfa_shared::secrets::{random_hex, sha256_hex};
use mfa_shared::store::StoreError;
use mfa_shared::{views, ApiError, Body, Response, Services};
use serde_json::json;

/// A new token: its id (only ever in the response), the hash it is stored under, the item.
pub struct NewToken {
    pub id: String,
    pub hash: String,
    pub token: Token,
}

impl NewToken {
    fn around(token: Token) -> Self {
        let id = random_hex(16);
        Self {
            hash: sha256_hex(&id),
            id,
            token,
        }
    }
}

/// What a new token is: how its holder authenticated, its scope and its tenant.
pub struct Grant<'a> {
    pub methods: Vec<AuthMethod>,
    pub scope: Option<&'a str>,
    pub tenant: Option<TenantRef>,
}

/// A token for `user` under its current revocation epochs (and its domain's, as read).
pub fn new_token(
    services: &Services,
    user: &User,
    domain: Option<&Domain>,
    grant: Grant<'_>,
) -> NewToken {
    let now = now_ms();
    let expires_ms = now + services.config.token_ttl.as_millis() as i64;
    NewToken::around(Token {
        user_id: user.id.clone(),
        issued_at: now,
        // Whole seconds (the DynamoDB TTL unit), rounded down: never longer than configured,
        // and `expires` in the body shows exactly what is enforced.
        expires_at: expires_ms / 1000,
        authenticated_by: grant.methods,
        scope: grant.scope.map(str::to_owned),
        epoch: user.token_epoch,
        password_epoch: user.password_token_epoch,
        domain_epoch: domain_epoch(domain),
        domain_id: user.domain_id.clone(),
        tenant: grant.tenant,
    })
}

/// A token made from another (a token login): everything carried over — the way its holder
/// authenticated, its expiry and the epochs it lives under — but the tenant.
pub fn rescoped(original: &Token, tenant: Option<TenantRef>) -> NewToken {
    NewToken::around(Token {
        issued_at: now_ms(),
        tenant,
        ..original.clone()
    })
}

/// Stores a first-factor token (a password's or an API key's) with the login's event
/// (`login`) and answers 200 with it, if `user` and `domain` are still as read; `None` if
/// either changed meanwhile (the caller reads again and decides again).
pub async fn issue_first_factor_token(
    services: &Services,
    user: &User,
    domain: Option<&Domain>,
    grant: Grant<'_>,
    login: SecurityEvent,
) -> Result<Option<Response<Body>>, ApiError> {
    let new = new_token(services, user, domain, grant);
    match services
        .store
        .put_first_factor_token(&new.hash, &new.token, user, domain, &[login])
        .await
    {
        Ok(()) => {
            tracing::info!(user_id = user.id, scope = new.token.scope, "token issued");
            access_response(services, &new, user).await.map(Some)
        }
        Err(StoreError::Conflict) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// 200 with the `access` body (API.md 5.2, BEHAVIOR.md 7.3): the token with its tenant, the
/// user, and the service catalog rendered for the tenant — none on a SETUP-MFA token
/// (BEHAVIOR.md 7.7). Headers `X-User-Name` and, with a tenant, `X-Tenant-Id`.
pub async fn access_response(
    services: &Services,
    new: &NewToken,
    user: &User,
) -> Result<Response<Body>, ApiError> {
    let catalog = services.catalog().await?;
    let mut access = views::access(&new.id, &new.token, user, catalog.as_deref());
    if !new.token.is_setup_mfa() {
        access["serviceCatalog"] = match &catalog {
            Some(template) => template.render(new.token.tenant.as_ref()),
            None => json!([]),
        };
    }
    let mut resp = json_response(200, &json!({ "access": access }));
    if let Ok(name) = user.username.parse() {
        resp.headers_mut().insert(USER_NAME, name);
    }
    if let Some(Ok(id)) = new.token.tenant.as_ref().map(|t| t.id.parse()) {
        resp.headers_mut().insert("x-tenant-id", id);
    }
    Ok(resp)
}
