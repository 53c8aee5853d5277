use super::TenantRef;
use serde::{Deserialize, Serialize};

/// How a token's holder authenticated (`RAX-AUTH:authenticatedBy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AuthMethod {
    Password,
    Apikey,
    Passcode,
    Otppasscode,
    /// A WebAuthn assertion (WEBAUTHN.md "Login").
    Webauthn,
}

/// A bearer token (`TOKEN#<sha256(id)>` item). The id itself is never stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    pub user_id: String,
    pub issued_at: i64,
    /// Unix seconds: also the DynamoDB TTL attribute (deletion lags, so expiry is checked in code).
    pub expires_at: i64,
    pub authenticated_by: Vec<AuthMethod>,
    /// `SETUP-MFA` for a token that may only set up MFA on its own user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The revocation epochs in force when the token was issued (`User::accepts`): the user's,
    /// the user's password-token one, and its domain's password-token one.
    #[serde(default)]
    pub epoch: u64,
    #[serde(default)]
    pub password_epoch: u64,
    #[serde(default)]
    pub domain_epoch: u64,
    /// The user's domain, so that a request can read the domain beside the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_id: Option<String>,
    /// The tenant the token is scoped to (none for a user without a domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantRef>,
}

pub const SETUP_MFA_SCOPE: &str = "SETUP-MFA";

impl Token {
    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms >= self.expires_at * 1000
    }

    /// Obtained without a second factor (a password or an API key): what enabling MFA and a
    /// domain moving to REQUIRED revoke (DECISIONS.md 10).
    pub fn lacks_second_factor(&self) -> bool {
        !self.authenticated_by.iter().any(|m| {
            matches!(
                m,
                AuthMethod::Passcode | AuthMethod::Otppasscode | AuthMethod::Webauthn
            )
        })
    }

    /// Obtained with a password and nothing more: never issued while its user has MFA on
    /// (an API key is, BEHAVIOR.md 7.1).
    pub fn is_password_only(&self) -> bool {
        self.lacks_second_factor() && self.authenticated_by.contains(&AuthMethod::Password)
    }

    /// Such a token is checked against its domain's revocation epoch too.
    pub fn needs_domain(&self) -> Option<&str> {
        self.domain_id
            .as_deref()
            .filter(|_| self.lacks_second_factor())
    }

    pub fn is_setup_mfa(&self) -> bool {
        self.scope.as_deref() == Some(SETUP_MFA_SCOPE)
    }
}
