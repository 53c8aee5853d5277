use super::{domain_epoch, Domain, Token};
use crate::precedence::Principal;
use crate::roles::IdentityRole;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactorType {
    #[serde(rename = "SMS")]
    Sms,
    #[serde(rename = "OTP")]
    Otp,
    /// A security key or passkey (WEBAUTHN.md).
    #[serde(rename = "WEBAUTHN")]
    WebAuthn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EnforcementLevel {
    Default,
    Optional,
    Required,
}

/// An enum value a request named that is none of ours: the original's 400 `Invalid json
/// request body for value '<value>'` (`ApiError::invalid_value`).
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownValue(pub String);

/// Reads a name as the one value whose `name()` it is.
fn by_name<T: Copy>(
    all: &[T],
    name: impl Fn(T) -> &'static str,
    s: &str,
) -> Result<T, UnknownValue> {
    all.iter()
        .copied()
        .find(|v| name(*v) == s)
        .ok_or_else(|| UnknownValue(s.to_owned()))
}

impl std::str::FromStr for FactorType {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, UnknownValue> {
        by_name(&Self::ALL, Self::name, s)
    }
}

impl std::str::FromStr for EnforcementLevel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, UnknownValue> {
        by_name(&Self::ALL, Self::name, s)
    }
}

impl FactorType {
    pub const ALL: [Self; 3] = [Self::Sms, Self::Otp, Self::WebAuthn];

    pub fn name(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Otp => "OTP",
            Self::WebAuthn => "WEBAUTHN",
        }
    }
}

impl EnforcementLevel {
    pub const ALL: [Self; 3] = [Self::Default, Self::Optional, Self::Required];

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
    /// Failed passcodes since the last success or authorized unlock, across lock releases
    /// (see `Lockout`).
    #[serde(default)]
    pub consecutive_failures: u32,
}

/// The longest username, in bytes: its lookup key (`USERNAME#<name>`) must fit DynamoDB's
/// 2048-byte partition key, lower-cased (which can grow a name).
pub const MAX_USERNAME_BYTES: usize = 512;

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
    /// `RAX-AUTH:defaultRegion`; without one, the catalog's default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
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
    /// WebAuthn devices and verified ones, kept like the OTP counts.
    #[serde(default)]
    pub webauthn_device_count: u32,
    #[serde(default)]
    pub verified_webauthn_count: u32,
    /// The user's WebAuthn user handle (`user.id` in registration options): random, set by
    /// the first registration, the same for every later one; never the user id or username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webauthn_user_handle: Option<String>,
    /// Bumped by every bypass-code generation: changes that delete the user's codes are
    /// conditioned on the version they read, so no code written meanwhile can survive them.
    #[serde(default)]
    pub bypass_version: u64,
    /// Revocation epochs: a token is valid only while the epochs it was issued under are
    /// current. Disabling the user bumps `token_epoch` (every token and session); enabling MFA
    /// bumps `password_token_epoch` (tokens without a second factor). Tokens are written only
    /// on the condition that the epochs read are still current, so a token issued while a
    /// revocation commits either fails to be written or carries the old epoch (an instant
    /// compared with an issue time could not tell them apart).
    #[serde(default)]
    pub token_epoch: u64,
    #[serde(default)]
    pub password_token_epoch: u64,
    /// Instants (ms) written by versions before the epochs; still honoured, so that a token
    /// revoked before an upgrade stays revoked. Nothing writes them any more.
    #[serde(default)]
    pub tokens_valid_after: i64,
    #[serde(default)]
    pub password_tokens_valid_after: i64,
    pub created_at: i64,
}

impl User {
    /// A new user: enabled, MFA off, no devices, every counter and epoch at zero.
    pub fn new(
        id: &str,
        username: &str,
        domain_id: Option<&str>,
        roles: Vec<String>,
        password_hash: String,
        now_ms: i64,
    ) -> Self {
        Self {
            id: id.to_owned(),
            username: username.to_owned(),
            domain_id: domain_id.map(str::to_owned),
            roles,
            enabled: true,
            email: None,
            default_region: None,
            password_hash,
            mfa: MfaSettings::default(),
            phone_id: None,
            otp_device_count: 0,
            verified_otp_count: 0,
            webauthn_device_count: 0,
            verified_webauthn_count: 0,
            webauthn_user_handle: None,
            bypass_version: 0,
            token_epoch: 0,
            password_token_epoch: 0,
            tokens_valid_after: 0,
            password_tokens_valid_after: 0,
            created_at: now_ms,
        }
    }

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

    /// Is `factor` the active second factor? (While SMS is, the phone may be neither replaced
    /// nor deleted; while OTP or WebAuthn is, their last verified device stays.)
    pub fn factor_active(&self, factor: FactorType) -> bool {
        self.mfa.enabled && self.factor() == factor
    }

    /// Is this token still valid for this user (not revoked)? `domain` is the user's domain,
    /// read when `token.needs_domain()`.
    ///
    /// A token without a second factor is also refused once its domain went REQUIRED after it
    /// was issued, unless the user is OPTIONAL (such a user gets a new one with a password
    /// anyway); and a password-only one while MFA is on (it cannot have been issued then:
    /// defence in depth).
    pub fn accepts(&self, token: &Token, domain: Option<&Domain>) -> bool {
        let current = token.epoch == self.token_epoch && token.issued_at >= self.tokens_valid_after;
        if !current || !token.lacks_second_factor() {
            return current;
        }
        let exempt_from_domain = self.mfa.enforcement_level == Some(EnforcementLevel::Optional);
        !(self.mfa.enabled && token.is_password_only())
            && token.password_epoch == self.password_token_epoch
            && token.issued_at >= self.password_tokens_valid_after
            && token.domain_id == self.domain_id
            && (exempt_from_domain || token.domain_epoch == domain_epoch(domain))
    }

    /// The factor in force when MFA is enabled (a stored legacy value of none reads as SMS).
    pub fn factor(&self) -> FactorType {
        self.mfa.factor_type.unwrap_or(FactorType::Sms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AuthMethod;

    fn user() -> User {
        let mut u = crate::fixtures::user("u", "identity:default", Some("d"));
        u.token_epoch = 3;
        u.password_token_epoch = 2;
        u
    }

    fn domain(epoch: u64) -> Domain {
        Domain {
            id: "d".into(),
            enabled: true,
            enforcement_level: Some(EnforcementLevel::Required),
            password_token_epoch: epoch,
            api_key_logins: true,
        }
    }

    /// A token issued to `user()` under the current epochs, domain epoch 1.
    fn token(methods: &[AuthMethod]) -> Token {
        Token {
            user_id: "u".into(),
            issued_at: 1_000,
            expires_at: 10_000,
            authenticated_by: methods.to_vec(),
            scope: None,
            epoch: 3,
            password_epoch: 2,
            domain_epoch: 1,
            domain_id: Some("d".into()),
            tenant: None,
        }
    }

    const PASSWORD: &[AuthMethod] = &[AuthMethod::Password];
    const MFA: &[AuthMethod] = &[AuthMethod::Password, AuthMethod::Otppasscode];

    #[test]
    fn tokens_live_while_the_epochs_they_were_issued_under_are_current() {
        let u = user();
        assert!(u.accepts(&token(PASSWORD), Some(&domain(1))));
        assert!(
            u.accepts(&token(MFA), None),
            "a second factor needs no domain"
        );
        let disabled_since = User {
            token_epoch: 4,
            ..user()
        };
        assert!(!disabled_since.accepts(&token(PASSWORD), Some(&domain(1))));
        assert!(!disabled_since.accepts(&token(MFA), None));
    }

    #[test]
    fn names_read_back_as_their_values_and_nothing_else_reads() {
        for factor in FactorType::ALL {
            assert_eq!(factor.name().parse::<FactorType>(), Ok(factor));
        }
        for level in EnforcementLevel::ALL {
            assert_eq!(level.name().parse::<EnforcementLevel>(), Ok(level));
        }
        assert_eq!("sms".parse::<FactorType>(), Err(UnknownValue("sms".into())));
        assert!("".parse::<EnforcementLevel>().is_err());
    }

    #[test]
    fn only_the_factor_in_force_is_active() {
        let mut u = user();
        assert!(
            FactorType::ALL.iter().all(|f| !u.factor_active(*f)),
            "MFA off"
        );
        u.mfa.enabled = true;
        assert!(
            u.factor_active(FactorType::Sms),
            "a stored none reads as SMS"
        );
        u.mfa.factor_type = Some(FactorType::WebAuthn);
        let active: Vec<_> = FactorType::ALL
            .into_iter()
            .filter(|f| u.factor_active(*f))
            .collect();
        assert_eq!(active, [FactorType::WebAuthn]);
    }

    #[test]
    fn a_webauthn_login_is_a_second_factor() {
        let mfa_on = User {
            password_token_epoch: 3,
            mfa: MfaSettings {
                enabled: true,
                ..MfaSettings::default()
            },
            ..user()
        };
        let webauthn = token(&[AuthMethod::Password, AuthMethod::Webauthn]);
        assert!(!webauthn.lacks_second_factor());
        assert!(mfa_on.accepts(&webauthn, None));
        assert_eq!(
            serde_json::to_value(AuthMethod::Webauthn).unwrap(),
            "WEBAUTHN"
        );
    }

    #[test]
    fn enabling_mfa_revokes_password_only_tokens_and_they_stay_revoked() {
        let mfa_on = User {
            password_token_epoch: 3,
            mfa: MfaSettings {
                enabled: true,
                ..MfaSettings::default()
            },
            ..user()
        };
        assert!(!mfa_on.accepts(&token(PASSWORD), Some(&domain(1))));
        assert!(mfa_on.accepts(&token(MFA), None));
        let off_again = User {
            mfa: MfaSettings::default(),
            ..mfa_on
        };
        assert!(!off_again.accepts(&token(PASSWORD), Some(&domain(1))));
    }

    #[test]
    fn a_password_only_token_is_refused_while_mfa_is_on_whatever_its_epoch() {
        let mfa_on = User {
            mfa: MfaSettings {
                enabled: true,
                ..MfaSettings::default()
            },
            ..user()
        };
        assert!(!mfa_on.accepts(&token(PASSWORD), Some(&domain(1))));
    }

    #[test]
    fn a_domain_gone_required_revokes_members_who_are_not_optional() {
        let u = user();
        assert!(!u.accepts(&token(PASSWORD), Some(&domain(2))));
        assert!(
            !u.accepts(&token(PASSWORD), None),
            "a missing domain item is epoch 0"
        );
        let optional = User {
            mfa: MfaSettings {
                enforcement_level: Some(EnforcementLevel::Optional),
                ..MfaSettings::default()
            },
            ..user()
        };
        assert!(optional.accepts(&token(PASSWORD), Some(&domain(2))));
        let other_domain = Token {
            domain_id: Some("e".into()),
            ..token(PASSWORD)
        };
        assert!(!u.accepts(&other_domain, Some(&domain(1))));
    }

    #[test]
    fn revocation_instants_written_before_epochs_are_still_honoured() {
        let revoked_before_upgrade = User {
            tokens_valid_after: 2_000,
            ..user()
        };
        assert!(!revoked_before_upgrade.accepts(&token(MFA), None));
        let mfa_enabled_before_upgrade = User {
            password_tokens_valid_after: 2_000,
            ..user()
        };
        assert!(!mfa_enabled_before_upgrade.accepts(&token(PASSWORD), Some(&domain(1))));
        assert!(mfa_enabled_before_upgrade.accepts(&token(MFA), None));
    }
}
