//! Log in — `POST /v2.0/tokens` (API.md 5, BEHAVIOR.md 7, DECISIONS.md "Login", 4-6, 12-16):
//! the password step (a token, or for MFA users a 401 challenge with a session id) and the
//! passcode step (`X-SessionId` + SMS passcode, TOTP code or bypass code).

mod issue;
mod passcode;
mod password;

use mfa_shared::error::msg;
use mfa_shared::http::parse_wrapped_or;
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Auth {
    #[serde(rename = "passwordCredentials")]
    password_credentials: Option<password::PasswordCredentials>,
    // An unprefixed name from an old sample is accepted too (API.md 5.2).
    #[serde(rename = "RAX-AUTH:passcodeCredentials", alias = "passcodeCredentials")]
    passcode_credentials: Option<passcode::PasscodeCredentials>,
    #[serde(rename = "tenantId")]
    tenant_id: Option<String>,
    #[serde(rename = "tenantName")]
    tenant_name: Option<String>,
    #[serde(rename = "RAX-AUTH:scope")]
    scope: Option<String>,
}

fn parse(req: &Request) -> Result<Auth, ApiError> {
    let auth: Auth = parse_wrapped_or(req, "auth", |_| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    if auth.tenant_id.is_some() && auth.tenant_name.is_some() {
        return Err(ApiError::bad_request(msg::TENANT_ID_AND_NAME));
    }
    Ok(auth)
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let auth = parse(&req)?;
    match (auth.password_credentials, auth.passcode_credentials) {
        (Some(credentials), None) => password::step(services, credentials, auth.scope).await,
        (None, Some(credentials)) => passcode::step(services, &req, credentials, auth.scope).await,
        // None, or two kinds of credentials at once (DECISIONS.md 12, 16).
        _ => Err(ApiError::bad_request(msg::BAD_AUTH_BODY)),
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("authenticate", handle).await
}
