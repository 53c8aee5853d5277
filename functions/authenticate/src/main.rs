//! Log in — `POST /v2.0/tokens` (API.md 5, BEHAVIOR.md 7, DECISIONS.md "Login", 4-6, 12-16):
//! a password (a token, or for MFA users a 401 challenge with a session id), the passcode
//! step (`X-SessionId` + SMS passcode, TOTP code or bypass code, or a WebAuthn assertion,
//! WEBAUTHN.md), an API key (never
//! challenged, BEHAVIOR.md 7.1) or a token (re-scoped to a tenant). Any of them may name the
//! tenant the token is for.

mod api_key;
mod assertion;
mod attempts;
mod challenge;
mod decide;
mod issue;
mod lookup;
mod passcode;
mod password;
mod tenant;
mod token;

use mfa_shared::error::msg;
use mfa_shared::http::parse_wrapped_or;
use mfa_shared::model::TenantRequest;
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Auth {
    #[serde(rename = "passwordCredentials")]
    password_credentials: Option<password::PasswordCredentials>,
    #[serde(rename = "RAX-KSKEY:apiKeyCredentials", alias = "apiKeyCredentials")]
    api_key_credentials: Option<api_key::ApiKeyCredentials>,
    token: Option<token::TokenCredentials>,
    // An unprefixed name from an old sample is accepted too (API.md 5.2).
    #[serde(rename = "RAX-AUTH:passcodeCredentials", alias = "passcodeCredentials")]
    passcode_credentials: Option<passcode::PasscodeCredentials>,
    /// A WebAuthn assertion (`AuthenticationResponseJSON`; WEBAUTHN.md "Login").
    #[serde(rename = "RAX-AUTH:webAuthnCredentials")]
    webauthn_credentials: Option<serde_json::Value>,
    #[serde(rename = "tenantId")]
    tenant_id: Option<String>,
    #[serde(rename = "tenantName")]
    tenant_name: Option<String>,
    #[serde(rename = "RAX-AUTH:scope")]
    scope: Option<String>,
}

/// What every kind of login may ask for besides its credentials.
pub struct Asked {
    /// `RAX-AUTH:scope` (only `SETUP-MFA` exists).
    pub scope: Option<String>,
    pub tenant: Option<TenantRequest>,
}

enum Credentials {
    Password(password::PasswordCredentials),
    ApiKey(api_key::ApiKeyCredentials),
    Token(token::TokenCredentials),
    Passcode(passcode::PasscodeCredentials),
    WebAuthn(serde_json::Value),
}

fn parse(req: &Request) -> Result<(Credentials, Asked), ApiError> {
    let auth: Auth = parse_wrapped_or(req, "auth", |_| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    let given = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let tenant = match (given(auth.tenant_id), given(auth.tenant_name)) {
        (Some(_), Some(_)) => return Err(ApiError::bad_request(msg::TENANT_ID_AND_NAME)),
        (Some(id), None) => Some(TenantRequest::Id(id)),
        (None, Some(name)) => Some(TenantRequest::Name(name)),
        (None, None) => None,
    };
    let credentials = match (
        auth.password_credentials,
        auth.api_key_credentials,
        auth.token,
        auth.passcode_credentials,
        auth.webauthn_credentials,
    ) {
        (Some(c), None, None, None, None) => Credentials::Password(c),
        (None, Some(c), None, None, None) => Credentials::ApiKey(c),
        (None, None, Some(c), None, None) => Credentials::Token(c),
        (None, None, None, Some(c), None) => Credentials::Passcode(c),
        (None, None, None, None, Some(c)) => Credentials::WebAuthn(c),
        // None, or several kinds at once (DECISIONS.md 12, 16; WEBAUTHN.md "Login").
        _ => return Err(ApiError::bad_request(msg::BAD_AUTH_BODY)),
    };
    Ok((
        credentials,
        Asked {
            scope: auth.scope,
            tenant,
        },
    ))
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (credentials, asked) = parse(&req)?;
    // A login has no caller yet: each event's actor is its subject.
    let trail = &services.trail(&req);
    match credentials {
        Credentials::Password(c) => password::step(services, trail, c, asked).await,
        Credentials::ApiKey(c) => api_key::login(services, trail, c, asked).await,
        Credentials::Token(c) => token::login(services, c, asked).await,
        Credentials::Passcode(c) => passcode::step(services, &req, trail, c, asked).await,
        Credentials::WebAuthn(answer) => {
            assertion::step(services, &req, trail, answer, asked).await
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("authenticate", handle).await
}
