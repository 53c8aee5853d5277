//! Tokens: a new one, stored on the condition that what it was decided on still holds (or
//! handed to the passcode step's transaction), and the `access` body.

use mfa_shared::http::json_response;
use mfa_shared::model::{domain_epoch, iso8601_ms, now_ms, AuthMethod, Domain, Token, User};
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

/// A token for `user` under its current revocation epochs (and its domain's, as read).
pub fn new_token(
    services: &Services,
    user: &User,
    domain: Option<&Domain>,
    authenticated_by: Vec<AuthMethod>,
    scope: Option<&str>,
) -> NewToken {
    let id = random_hex(16);
    let now = now_ms();
    let expires_ms = now + services.config.token_ttl.as_millis() as i64;
    let token = Token {
        user_id: user.id.clone(),
        issued_at: now,
        // Whole seconds (the DynamoDB TTL unit), rounded down: never longer than configured,
        // and `expires` in the body shows exactly what is enforced.
        expires_at: expires_ms / 1000,
        authenticated_by,
        scope: scope.map(str::to_owned),
        epoch: user.token_epoch,
        password_epoch: user.password_token_epoch,
        domain_epoch: domain_epoch(domain),
        domain_id: user.domain_id.clone(),
    };
    NewToken {
        hash: sha256_hex(&id),
        id,
        token,
    }
}

/// Stores a password-only token and answers 200 with it, if `user` and `domain` are still as
/// read; `None` if either changed meanwhile (the caller reads again and decides again).
pub async fn issue_password_token(
    services: &Services,
    user: &User,
    domain: Option<&Domain>,
    scope: Option<&str>,
) -> Result<Option<Response<Body>>, ApiError> {
    let new = new_token(services, user, domain, vec![AuthMethod::Password], scope);
    match services
        .store
        .put_password_token(&new.hash, &new.token, user, domain)
        .await
    {
        Ok(()) => {
            tracing::info!(user_id = user.id, scope, "token issued");
            Ok(Some(access_response(&new, user)))
        }
        Err(StoreError::Conflict) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// API.md 5.2 (without `defaultRegion`); a SETUP-MFA token's body has no service catalog.
pub fn access_response(new: &NewToken, user: &User) -> Response<Body> {
    let mut user_view = json!({
        "id": user.id,
        "name": user.username,
        "RAX-AUTH:multiFactorEnabled": user.mfa.enabled,
        "roles": views::roles(user),
    });
    if let Some(domain) = &user.domain_id {
        user_view["RAX-AUTH:domainId"] = json!(domain);
    }
    let mut access = json!({
        "token": {
            "id": new.id,
            "expires": iso8601_ms(new.token.expires_at * 1000),
            "RAX-AUTH:authenticatedBy": new.token.authenticated_by,
        },
        "user": user_view,
    });
    if !new.token.is_setup_mfa() {
        access["serviceCatalog"] = json!([]);
    }
    with_user_name(
        json_response(200, &json!({ "access": access })),
        &user.username,
    )
}

/// `X-User-Name` on login answers about a known user (BEHAVIOR.md 7.3).
pub fn with_user_name(mut resp: Response<Body>, username: &str) -> Response<Body> {
    if let Ok(v) = username.parse() {
        resp.headers_mut().insert("x-user-name", v);
    }
    resp
}
