//! Tokens: a new one, stored (or handed to the caller's transaction), and the `access` body.

use mfa_shared::http::json_response;
use mfa_shared::model::{iso8601_ms, now_ms, AuthMethod, Token, User};
use mfa_shared::secrets::{random_hex, sha256_hex};
use mfa_shared::{views, ApiError, Body, Response, Services};
use serde_json::json;

/// A new token: its id (only ever in the response), the hash it is stored under, the item.
pub struct NewToken {
    pub id: String,
    pub hash: String,
    pub token: Token,
}

pub fn new_token(
    services: &Services,
    user: &User,
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
    };
    NewToken {
        hash: sha256_hex(&id),
        id,
        token,
    }
}

/// Stores a token and answers 200 with it.
pub async fn issue(
    services: &Services,
    user: &User,
    authenticated_by: Vec<AuthMethod>,
    scope: Option<&str>,
) -> Result<Response<Body>, ApiError> {
    let new = new_token(services, user, authenticated_by, scope);
    services.store.put_token(&new.hash, &new.token).await?;
    tracing::info!(user_id = user.id, scope, "token issued");
    Ok(access_response(&new, user))
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
