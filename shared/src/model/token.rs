use serde::{Deserialize, Serialize};

/// How a token's holder authenticated (`RAX-AUTH:authenticatedBy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AuthMethod {
    Password,
    Passcode,
    Otppasscode,
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
}

pub const SETUP_MFA_SCOPE: &str = "SETUP-MFA";

impl Token {
    pub fn is_expired(&self, now_ms: i64) -> bool {
        now_ms >= self.expires_at * 1000
    }

    /// Obtained with a password only (no second factor): what enabling MFA revokes.
    pub fn is_password_only(&self) -> bool {
        !self
            .authenticated_by
            .iter()
            .any(|m| matches!(m, AuthMethod::Passcode | AuthMethod::Otppasscode))
    }

    pub fn is_setup_mfa(&self) -> bool {
        self.scope.as_deref() == Some(SETUP_MFA_SCOPE)
    }
}
