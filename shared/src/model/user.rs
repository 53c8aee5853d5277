use crate::precedence::Principal;
use crate::roles::IdentityRole;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactorType {
    #[serde(rename = "SMS")]
    Sms,
    #[serde(rename = "OTP")]
    Otp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EnforcementLevel {
    Default,
    Optional,
    Required,
}

impl FactorType {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Otp => "OTP",
        }
    }
}

impl EnforcementLevel {
    pub fn name(self) -> &'static str {
        match self {
            Self::Default => "DEFAULT",
            Self::Optional => "OPTIONAL",
            Self::Required => "REQUIRED",
        }
    }

    /// Must a user without MFA set it up before logging in? (BEHAVIOR.md 7.6)
    pub fn requires_mfa(user: Option<Self>, domain: Option<Self>) -> bool {
        match user.unwrap_or(Self::Default) {
            Self::Optional => false,
            Self::Required => true,
            Self::Default => domain == Some(Self::Required),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaSettings {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_type: Option<FactorType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcement_level: Option<EnforcementLevel>,
    #[serde(default)]
    pub failed_attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failed_at: Option<i64>,
}

impl MfaSettings {
    /// Locked: the threshold was reached and the last failure is recent (BEHAVIOR.md 7.4).
    pub fn is_locked(&self, now_ms: i64, threshold: u32, release_ms: i64) -> bool {
        self.failed_attempts >= threshold
            && self
                .last_failed_at
                .is_some_and(|t| now_ms <= t + release_ms)
    }
}

/// The `PROFILE` item of a user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_id: Option<String>,
    pub roles: Vec<String>,
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Argon2id PHC string; never leaves the store layer except for verification.
    pub password_hash: String,
    #[serde(default)]
    pub mfa: MfaSettings,
    /// The user's one phone (DECISIONS.md: one phone per user); guards against a second one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_id: Option<String>,
    /// OTP devices, and verified ones: kept in step with the `OTP#` items by the same
    /// transactions, so that limits hold under concurrent requests.
    #[serde(default)]
    pub otp_device_count: u32,
    #[serde(default)]
    pub verified_otp_count: u32,
    /// Bumped by every bypass-code generation: changes that delete the user's codes are
    /// conditioned on the version they read, so no code written meanwhile can survive them.
    #[serde(default)]
    pub bypass_version: u64,
    /// Tokens issued before this instant (ms) are revoked.
    #[serde(default)]
    pub tokens_valid_after: i64,
    /// Tokens without a second factor issued before this instant (ms) are revoked
    /// (enabling MFA, a domain moving to REQUIRED: DECISIONS.md 10).
    #[serde(default)]
    pub password_tokens_valid_after: i64,
    pub created_at: i64,
}

impl User {
    pub fn identity_role(&self) -> Option<IdentityRole> {
        IdentityRole::identity_type(&self.roles)
    }

    pub fn principal(&self) -> Principal<'_> {
        Principal {
            id: &self.id,
            role: self.identity_role(),
            domain_id: self.domain_id.as_deref(),
            enabled: self.enabled,
        }
    }

    /// SMS is the active second factor: the phone may be neither replaced nor deleted.
    pub fn sms_mfa_active(&self) -> bool {
        self.mfa.enabled && self.mfa.factor_type.unwrap_or(FactorType::Sms) == FactorType::Sms
    }

    /// Is this token still valid for this user (not revoked)?
    pub fn accepts(&self, token: &crate::model::Token) -> bool {
        token.issued_at >= self.tokens_valid_after
            && (!token.is_password_only() || token.issued_at >= self.password_tokens_valid_after)
    }

    /// The factor in force when MFA is enabled (a stored legacy value of none reads as SMS).
    pub fn factor(&self) -> FactorType {
        self.mfa.factor_type.unwrap_or(FactorType::Sms)
    }

    /// OTP is the active second factor.
    pub fn otp_mfa_active(&self) -> bool {
        self.mfa.enabled && self.mfa.factor_type == Some(FactorType::Otp)
    }
}
