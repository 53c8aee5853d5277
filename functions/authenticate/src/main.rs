//! Log in — `POST /v2.0/tokens` with `passwordCredentials` (API.md 5.1, BEHAVIOR.md 7.1).
//!
//! Unknown user and wrong password look alike, in body and in time (a dummy hash is checked).

use mfa_shared::error::msg;
use mfa_shared::http::{json_response, require_json};
use mfa_shared::model::{iso8601_ms, now_ms, AuthMethod, Token, User};
use mfa_shared::secrets::{random_hex, sha256_hex, verify_password_or_dummy};
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthRequest {
    auth: Auth,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Auth {
    #[serde(rename = "passwordCredentials")]
    password_credentials: Option<PasswordCredentials>,
    #[serde(rename = "tenantId")]
    tenant_id: Option<String>,
    #[serde(rename = "tenantName")]
    tenant_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordCredentials {
    username: String,
    password: String,
}

fn parse(req: &Request) -> Result<Auth, ApiError> {
    require_json(req)?;
    let value: serde_json::Value =
        serde_json::from_slice(req.body().as_ref()).map_err(|_| ApiError::invalid_json())?;
    let parsed: AuthRequest =
        serde_json::from_value(value).map_err(|_| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    let auth = parsed.auth;
    if auth.tenant_id.is_some() && auth.tenant_name.is_some() {
        return Err(ApiError::bad_request(msg::TENANT_ID_AND_NAME));
    }
    Ok(auth)
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let auth = parse(&req)?;
    let credentials = auth
        .password_credentials
        .filter(|c| !c.username.trim().is_empty() && !c.password.is_empty())
        .ok_or_else(|| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    let user = check_password(services, &credentials).await?;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username));
    }
    issue_token(services, &user, vec![AuthMethod::Password]).await
}

/// The user whose password this is, or 401 (same answer for an unknown user).
async fn check_password(services: &Services, c: &PasswordCredentials) -> Result<User, ApiError> {
    let user = match services.store.find_user_id(c.username.trim()).await? {
        Some(id) => services.store.get_user(&id).await?,
        None => None,
    };
    if verify_password_or_dummy(&c.password, user.as_ref().map(|u| u.password_hash.as_str())) {
        if let Some(user) = user {
            return Ok(user);
        }
    }
    tracing::info!("password authentication failed");
    Err(ApiError::Unauthorized(msg::BAD_CREDENTIALS.to_owned()))
}

async fn issue_token(
    services: &Services,
    user: &User,
    authenticated_by: Vec<AuthMethod>,
) -> Result<Response<Body>, ApiError> {
    let id = random_hex(16);
    let now = now_ms();
    let expires_ms = now + services.config.token_ttl.as_millis() as i64;
    let token = Token {
        user_id: user.id.clone(),
        issued_at: now,
        // Whole seconds (the DynamoDB TTL unit), rounded down: never longer than configured,
        // and `expires` below shows exactly what is enforced.
        expires_at: expires_ms / 1000,
        authenticated_by,
    };
    services.store.put_token(&sha256_hex(&id), &token).await?;
    tracing::info!(user_id = user.id, "token issued");
    let mut user_view = json!({
        "id": user.id,
        "name": user.username,
        "RAX-AUTH:multiFactorEnabled": user.mfa.enabled,
        "roles": views::roles(user),
    });
    if let Some(domain) = &user.domain_id {
        user_view["RAX-AUTH:domainId"] = json!(domain);
    }
    let body = json!({ "access": {
        "token": {
            "id": id,
            "expires": iso8601_ms(token.expires_at * 1000),
            "RAX-AUTH:authenticatedBy": token.authenticated_by,
        },
        "user": user_view,
        "serviceCatalog": [],
    }});
    let mut resp = json_response(200, &body);
    if let Ok(v) = user.username.parse() {
        resp.headers_mut().insert("x-user-name", v);
    }
    Ok(resp)
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("authenticate", handle).await
}
