//! Configuration from the environment, read once per cold start.

use crate::secrets::pepper::{decode_pepper, PepperSource};
use std::env;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is required")]
    Missing(&'static str),
    #[error("environment variable {0} is invalid: {1}")]
    Invalid(&'static str, String),
}

#[derive(Clone)]
pub struct Config {
    pub table_name: String,
    /// Verification PIN lifetime.
    pub pin_ttl: Duration,
    /// Wrong PIN attempts after which the PIN is void.
    pub pin_max_attempts: u32,
    /// Minimum time between two verification sends to one phone.
    pub send_min_interval: Duration,
    /// Verification sends allowed per user in one hour, across all numbers.
    pub send_max_per_hour: u32,
    /// SMS (verification and login) allowed per domain in one clock hour.
    pub sms_domain_max_per_hour: u32,
    /// ISO 3166 regions whose numbers may be added and sent verification PINs.
    pub sms_allowed_regions: Vec<String>,
    pub token_ttl: Duration,
    /// Consecutive failed passcodes that lock a user's second factor.
    pub lockout_threshold: u32,
    /// How long after the last counted failure a lock releases itself.
    pub lockout_release: Duration,
    /// Consecutive failed passcodes, across lock releases, that lock for good (until an
    /// authorized unlock): at most 100 (NIST SP 800-63B rev 4 §3.2.2).
    pub mfa_max_consecutive_failures: u32,
    /// Failed password or API-key attempts per username in one window before the rest of the
    /// window is refused, and the window (from the first failure).
    pub password_max_failures: u32,
    pub password_failure_window: Duration,
    /// How long security events are kept (their TTL; NIST SP 800-63B rev 4 §4.1 records).
    pub event_retention: Duration,
    /// The KMS key (id, ARN or alias) that wraps the data keys of OTP secrets.
    pub otp_kms_key_id: String,
    /// Issuer shown by authenticator apps (keyUri label and `issuer` parameter).
    pub otp_issuer: String,
    /// TOTP steps accepted either side of now (1: T-1, T, T+1).
    pub otp_window_steps: i64,
    /// OTP devices a user may have, verified or not.
    pub otp_max_devices: u32,
    /// Lifetime of a login session (between the password and the passcode step).
    pub session_ttl: Duration,
    /// Login passcode SMS per user per hour.
    pub login_sms_max_per_hour: u32,
    /// SMS text at login; `{code}` is replaced by the passcode.
    pub login_sms_template: String,
    /// Bypass codes: self-service validity without a duration, default for another user,
    /// the longest validity a caller may ask for, and the most codes per request.
    pub bypass_self_default: Duration,
    pub bypass_other_default: Duration,
    pub bypass_max_validity: Duration,
    pub bypass_max_codes: u32,
    /// Where the server-side key for HMAC of PINs, passcodes and bypass codes comes from.
    pub pepper: PepperSource,
    /// SMS text for phone verification; `{code}` is replaced by the PIN.
    pub verify_sms_template: String,
    /// Optional alphanumeric sender id for SNS.
    pub sms_sender_id: Option<String>,
    /// How long a process keeps the service catalog before reading it again.
    pub catalog_ttl: Duration,
    /// The WebAuthn relying party (WEBAUTHN.md "Configuration").
    pub webauthn: WebAuthnConfig,
}

/// `WEBAUTHN_*`: who the relying party is, which origins may use it, what it asks of
/// authenticators.
#[derive(Clone, Debug)]
pub struct WebAuthnConfig {
    /// A registrable domain; every credential is bound to it, so it never changes.
    pub rp_id: String,
    pub rp_name: String,
    /// Exact origins (`scheme://host[:port]`) accepted in `clientDataJSON`.
    pub origins: Vec<String>,
    pub user_verification: UserVerification,
    /// Lifetime of a registration challenge.
    pub ceremony: Duration,
    /// WebAuthn devices per user, verified or not.
    pub max_devices: u32,
}

/// `userVerification` in both ceremonies; `Required` also refuses an answer without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserVerification {
    Required,
    Preferred,
    Discouraged,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("table_name", &self.table_name)
            .field("pin_ttl", &self.pin_ttl)
            .field("pin_max_attempts", &self.pin_max_attempts)
            .field("send_min_interval", &self.send_min_interval)
            .field("send_max_per_hour", &self.send_max_per_hour)
            .field("token_ttl", &self.token_ttl)
            .field("pepper", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// DynamoDB's limit on the items of one `TransactWriteItems`.
pub const MAX_TRANSACTION_ITEMS: u64 = 100;

pub const DEFAULT_VERIFY_SMS_TEMPLATE: &str =
    "To verify this mobile device for your multi-factor authentication profile enter the PIN {code}";

pub const DEFAULT_LOGIN_SMS_TEMPLATE: &str =
    "Your multi-factor authentication passcode expires in 5 minutes. Passcode: {code}";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| env::var(k).ok())
    }

    /// Reads through `lookup` so that tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let secs = |name: &'static str, default: u64| -> Result<Duration, ConfigError> {
            number(&lookup, name, default).map(Duration::from_secs)
        };
        let table_name = lookup("TABLE_NAME")
            .filter(|s| !s.is_empty())
            .ok_or(ConfigError::Missing("TABLE_NAME"))?;
        let pepper = pepper_source(&lookup)?;
        let verify_sms_template = lookup("VERIFY_SMS_TEMPLATE")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_VERIFY_SMS_TEMPLATE.to_owned());
        let login_sms_template = lookup("LOGIN_SMS_TEMPLATE")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_LOGIN_SMS_TEMPLATE.to_owned());
        for (name, template) in [
            ("VERIFY_SMS_TEMPLATE", &verify_sms_template),
            ("LOGIN_SMS_TEMPLATE", &login_sms_template),
        ] {
            if !template.trim_end().ends_with("{code}") {
                return Err(ConfigError::Invalid(name, "must end with {code}".into()));
            }
        }
        let config = Self {
            table_name,
            pin_ttl: secs("PIN_TTL_SECONDS", 600)?,
            pin_max_attempts: number(&lookup, "PIN_MAX_ATTEMPTS", 5)? as u32,
            send_min_interval: secs("SEND_MIN_INTERVAL_SECONDS", 30)?,
            send_max_per_hour: number(&lookup, "SEND_MAX_PER_HOUR", 5)? as u32,
            sms_domain_max_per_hour: number(&lookup, "SMS_DOMAIN_MAX_PER_HOUR", 100)? as u32,
            sms_allowed_regions: regions(&lookup)?,
            token_ttl: secs("TOKEN_TTL_SECONDS", 86_400)?,
            otp_kms_key_id: lookup("OTP_KMS_KEY_ID")
                .filter(|s| !s.is_empty())
                .ok_or(ConfigError::Missing("OTP_KMS_KEY_ID"))?,
            otp_issuer: lookup("OTP_ISSUER")
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "Rackspace".to_owned()),
            otp_window_steps: window(&lookup)?,
            otp_max_devices: number(&lookup, "OTP_MAX_DEVICES", 5)? as u32,
            session_ttl: secs("SESSION_TTL_SECONDS", 300)?,
            login_sms_max_per_hour: number(&lookup, "LOGIN_SMS_MAX_PER_HOUR", 10)? as u32,
            login_sms_template,
            bypass_self_default: secs("BYPASS_SELF_DEFAULT_SECONDS", 30 * 86_400)?,
            bypass_other_default: secs("BYPASS_OTHER_DEFAULT_SECONDS", 1_800)?,
            bypass_max_validity: secs("BYPASS_MAX_VALIDITY_SECONDS", 10_800)?,
            bypass_max_codes: number(&lookup, "BYPASS_MAX_CODES", 10)? as u32,
            lockout_threshold: number(&lookup, "LOCKOUT_THRESHOLD", 3)? as u32,
            lockout_release: secs("LOCKOUT_RELEASE_SECONDS", 1_800)?,
            mfa_max_consecutive_failures: at_most(
                "MFA_MAX_CONSECUTIVE_FAILURES",
                number(&lookup, "MFA_MAX_CONSECUTIVE_FAILURES", 100)?,
                100,
            )? as u32,
            password_max_failures: number(&lookup, "PASSWORD_MAX_FAILURES", 10)? as u32,
            password_failure_window: secs("PASSWORD_FAILURE_WINDOW_SECONDS", 900)?,
            event_retention: Duration::from_secs(
                number(&lookup, "EVENT_RETENTION_DAYS", 400)? * 86_400,
            ),
            pepper,
            verify_sms_template,
            sms_sender_id: lookup("SMS_SENDER_ID").filter(|s| !s.is_empty()),
            catalog_ttl: secs("CATALOG_TTL_SECONDS", 60)?,
            webauthn: WebAuthnConfig {
                rp_id: rp_id(&lookup)?,
                rp_name: lookup("WEBAUTHN_RP_NAME")
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| "Rackspace".to_owned()),
                origins: origins(&lookup)?,
                user_verification: user_verification(&lookup)?,
                ceremony: secs("WEBAUTHN_CEREMONY_SECONDS", 300)?,
                max_devices: number(&lookup, "WEBAUTHN_MAX_DEVICES", 10)? as u32,
            },
        };
        config.removal_fits_one_transaction()?;
        Ok(config)
    }

    /// Removing MFA deletes everything a user can hold in one DynamoDB transaction (at most 100
    /// items): the profile update, a phone, every OTP device, every WebAuthn device with its
    /// credential id's reservation, every bypass code, and its security event. Limits that could exceed it are refused
    /// at start-up rather than leaving such a user unable ever to remove MFA.
    fn removal_fits_one_transaction(&self) -> Result<(), ConfigError> {
        let worst = 3
            + u64::from(self.otp_max_devices)
            + 2 * u64::from(self.webauthn.max_devices)
            + u64::from(self.bypass_max_codes);
        if worst > MAX_TRANSACTION_ITEMS {
            return Err(ConfigError::Invalid(
                "OTP_MAX_DEVICES",
                format!(
                    "3 + OTP_MAX_DEVICES + 2 x WEBAUTHN_MAX_DEVICES + BYPASS_MAX_CODES is {worst}; \
                     removing MFA must fit one transaction of {MAX_TRANSACTION_ITEMS} items"
                ),
            ));
        }
        Ok(())
    }

    pub fn verify_sms_text(&self, code: &str) -> String {
        self.verify_sms_template.replace("{code}", code)
    }

    pub fn login_sms_text(&self, code: &str) -> String {
        self.login_sms_template.replace("{code}", code)
    }

    /// The SMS budgets (`model::SmsSpend`).
    pub fn sms_limits(&self) -> crate::model::SmsLimits {
        crate::model::SmsLimits {
            number_min_interval_ms: self.send_min_interval.as_millis() as i64,
            verifications_per_hour: self.send_max_per_hour,
            logins_per_hour: self.login_sms_max_per_hour,
            domain_per_hour: self.sms_domain_max_per_hour,
        }
    }

    /// May SMS go to a number of this region? (A number without one, non-geographic, may not.)
    pub fn sms_region_allowed(&self, region: Option<&str>) -> bool {
        region.is_some_and(|r| self.sms_allowed_regions.iter().any(|a| a == r))
    }

    /// The passcode lockout rule (BEHAVIOR.md 7.4).
    pub fn lockout(&self) -> crate::model::Lockout {
        crate::model::Lockout {
            threshold: self.lockout_threshold,
            release_ms: self.lockout_release.as_millis() as i64,
            permanent_after: self.mfa_max_consecutive_failures,
        }
    }

    /// The password and API-key attempt limit per username.
    pub fn password_limit(&self) -> crate::model::PasswordLimit {
        crate::model::PasswordLimit {
            max_failures: self.password_max_failures,
            window_ms: self.password_failure_window.as_millis() as i64,
        }
    }
}

/// A number that must not exceed `max` (a standard's bound, not a taste).
fn at_most(name: &'static str, value: u64, max: u64) -> Result<u64, ConfigError> {
    match value <= max {
        true => Ok(value),
        false => Err(ConfigError::Invalid(name, format!("at most {max}"))),
    }
}

fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    match lookup(name).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0 && *n <= u32::MAX as u64)
            .ok_or_else(|| ConfigError::Invalid(name, "expected a positive integer".into())),
    }
}

/// `SMS_ALLOWED_REGIONS`: ISO 3166 alpha-2 codes separated by commas or spaces; `US` when
/// unset (SMS toll fraud goes abroad: name every region you serve).
fn regions(lookup: &impl Fn(&str) -> Option<String>) -> Result<Vec<String>, ConfigError> {
    let value = lookup("SMS_ALLOWED_REGIONS").unwrap_or_default();
    let regions: Vec<String> = value
        .split([',', ' '])
        .filter(|r| !r.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    if let Some(bad) = regions
        .iter()
        .find(|r| r.len() != 2 || !r.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(ConfigError::Invalid(
            "SMS_ALLOWED_REGIONS",
            format!("{bad} is not an ISO 3166 alpha-2 code"),
        ));
    }
    Ok(if regions.is_empty() {
        vec!["US".to_owned()]
    } else {
        regions
    })
}

/// `WEBAUTHN_RP_ID`: a host name (lower case, no scheme, port or path), e.g. `localhost` or
/// `id.example.com`.
fn rp_id(lookup: &impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    const NAME: &str = "WEBAUTHN_RP_ID";
    let id = lookup(NAME)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or(ConfigError::Missing(NAME))?;
    let host_name = id.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    match host_name && id.len() <= 253 {
        true => Ok(id),
        false => Err(ConfigError::Invalid(
            NAME,
            "expected a lower-case host name such as id.example.com".into(),
        )),
    }
}

/// `WEBAUTHN_ORIGINS`: comma-separated `https://host[:port]` origins (`http` only for
/// `localhost`); no path, no wildcard.
fn origins(lookup: &impl Fn(&str) -> Option<String>) -> Result<Vec<String>, ConfigError> {
    const NAME: &str = "WEBAUTHN_ORIGINS";
    let value = lookup(NAME).unwrap_or_default();
    let origins: Vec<String> = value
        .split(',')
        .map(|o| o.trim().trim_end_matches('/').to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return Err(ConfigError::Missing(NAME));
    }
    for origin in &origins {
        let (scheme_ok, rest) = match (
            origin.strip_prefix("https://"),
            origin.strip_prefix("http://"),
        ) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (rest.split(':').next() == Some("localhost"), rest),
            (None, None) => (false, ""),
        };
        let (host, port) = match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !scheme_ok || !host_ok || port.is_some_and(|p| p.parse::<u16>().is_err()) {
            return Err(ConfigError::Invalid(
                NAME,
                format!("{origin} is not an origin like https://id.example.com"),
            ));
        }
    }
    Ok(origins)
}

fn user_verification(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<UserVerification, ConfigError> {
    match lookup("WEBAUTHN_USER_VERIFICATION")
        .as_deref()
        .map(str::trim)
    {
        None | Some("") | Some("preferred") => Ok(UserVerification::Preferred),
        Some("required") => Ok(UserVerification::Required),
        Some("discouraged") => Ok(UserVerification::Discouraged),
        Some(_) => Err(ConfigError::Invalid(
            "WEBAUTHN_USER_VERIFICATION",
            "expected required, preferred or discouraged".into(),
        )),
    }
}

/// 0 is allowed here (exact step only), unlike the other numbers.
fn window(lookup: &impl Fn(&str) -> Option<String>) -> Result<i64, ConfigError> {
    match lookup("OTP_WINDOW_STEPS").filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=10).contains(n))
            .ok_or_else(|| ConfigError::Invalid("OTP_WINDOW_STEPS", "expected 0 to 10".into())),
    }
}

/// `CODE_PEPPER_SECRET_ID` (Secrets Manager, read at first use) or `CODE_PEPPER` (hex).
fn pepper_source(lookup: &impl Fn(&str) -> Option<String>) -> Result<PepperSource, ConfigError> {
    if let Some(id) = lookup("CODE_PEPPER_SECRET_ID").filter(|s| !s.trim().is_empty()) {
        return Ok(PepperSource::Secret(id.trim().to_owned()));
    }
    let value = lookup("CODE_PEPPER")
        .filter(|s| !s.is_empty())
        .ok_or(ConfigError::Missing(
            "CODE_PEPPER_SECRET_ID (or CODE_PEPPER)",
        ))?;
    decode_pepper(&value)
        .map(PepperSource::Value)
        .map_err(|rule| ConfigError::Invalid("CODE_PEPPER", rule))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The pairs, over a relying party that every test but the WebAuthn ones takes as given.
    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let rp = [
            ("WEBAUTHN_RP_ID", "localhost"),
            ("WEBAUTHN_ORIGINS", "http://localhost:3000"),
        ];
        let map: HashMap<String, String> = rp
            .iter()
            .chain(pairs)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const PEPPER: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn defaults_apply_when_only_required_values_are_set() {
        let c = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("OTP_KMS_KEY_ID", "alias/k"),
        ]))
        .unwrap();
        assert_eq!(c.pin_ttl, Duration::from_secs(600));
        assert_eq!(c.pin_max_attempts, 5);
        assert_eq!(c.send_max_per_hour, 5);
        assert_eq!(c.token_ttl, Duration::from_secs(86_400));
        assert!(
            !format!("{c:?}").contains(PEPPER),
            "pepper must not be printable"
        );
    }

    #[test]
    fn the_attempt_limits_default_to_the_standards_and_refuse_more_than_100_in_a_row() {
        let base = [
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("OTP_KMS_KEY_ID", "alias/k"),
        ];
        let c = Config::from_lookup(lookup(&base)).unwrap();
        assert_eq!(c.lockout().permanent_after, 100);
        assert_eq!(c.password_limit().max_failures, 10);
        assert_eq!(c.password_limit().window_ms, 900_000);
        for (value, ok) in [("100", true), ("101", false), ("0", false)] {
            let mut pairs = base.to_vec();
            pairs.push(("MFA_MAX_CONSECUTIVE_FAILURES", value));
            let result = Config::from_lookup(lookup(&pairs));
            assert_eq!(result.is_ok(), ok, "{value}");
            if let Err(e) = result {
                assert!(
                    e.to_string().contains("MFA_MAX_CONSECUTIVE_FAILURES"),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn a_secrets_manager_pepper_wins_over_a_given_one() {
        let c = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", "not even hex"),
            ("CODE_PEPPER_SECRET_ID", "rax-mfa/pepper"),
            ("OTP_KMS_KEY_ID", "alias/k"),
        ]))
        .unwrap();
        assert!(matches!(c.pepper, PepperSource::Secret(ref id) if id == "rax-mfa/pepper"));
        let e = Config::from_lookup(lookup(&[("TABLE_NAME", "t"), ("OTP_KMS_KEY_ID", "k")]))
            .unwrap_err();
        assert!(e.to_string().contains("CODE_PEPPER_SECRET_ID"));
    }

    #[test]
    fn missing_or_bad_values_are_reported_by_name() {
        let e = Config::from_lookup(lookup(&[("CODE_PEPPER", PEPPER), ("OTP_KMS_KEY_ID", "k")]))
            .unwrap_err();
        assert!(e.to_string().contains("TABLE_NAME"));
        let e = Config::from_lookup(lookup(&[("TABLE_NAME", "t"), ("CODE_PEPPER", "abcd")]))
            .unwrap_err();
        assert!(e.to_string().contains("CODE_PEPPER"));
        let e = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("PIN_TTL_SECONDS", "ten"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("PIN_TTL_SECONDS"));
    }

    #[test]
    fn sms_regions_are_iso_codes_us_by_default() {
        let base = [
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("OTP_KMS_KEY_ID", "k"),
        ];
        let c = Config::from_lookup(lookup(&base)).unwrap();
        assert_eq!(c.sms_allowed_regions, ["US"]);
        assert!(c.sms_region_allowed(Some("US")));
        assert!(!c.sms_region_allowed(Some("GB")));
        assert!(!c.sms_region_allowed(None));
        let c = Config::from_lookup(lookup(&[
            base[0],
            base[1],
            base[2],
            ("SMS_ALLOWED_REGIONS", "us, ca gb"),
        ]))
        .unwrap();
        assert_eq!(c.sms_allowed_regions, ["US", "CA", "GB"]);
        let e = Config::from_lookup(lookup(&[
            base[0],
            base[1],
            base[2],
            ("SMS_ALLOWED_REGIONS", "USA"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("SMS_ALLOWED_REGIONS"), "{e}");
    }

    #[test]
    fn sms_template_must_end_with_the_code() {
        let e = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("VERIFY_SMS_TEMPLATE", "{code} is your PIN"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("VERIFY_SMS_TEMPLATE"));
    }

    #[test]
    fn limits_that_could_not_remove_mfa_in_one_transaction_are_refused() {
        let base = [
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("OTP_KMS_KEY_ID", "k"),
        ];
        let with = |pairs: &[(&'static str, &'static str)]| {
            Config::from_lookup(lookup(&[&base[..], pairs].concat()))
        };
        // 3 + 20 + 2 x 20 + 37 = 100 fits; one more bypass code does not.
        let at_limit = [
            ("OTP_MAX_DEVICES", "20"),
            ("WEBAUTHN_MAX_DEVICES", "20"),
            ("BYPASS_MAX_CODES", "37"),
        ];
        assert!(with(&at_limit).is_ok());
        let e = with(&[at_limit[0], at_limit[1], ("BYPASS_MAX_CODES", "38")]).unwrap_err();
        assert!(e.to_string().contains("is 101"), "{e}");
    }

    #[test]
    fn the_relying_party_needs_an_id_and_exact_origins() {
        let base = [
            ("TABLE_NAME", "t"),
            ("CODE_PEPPER", PEPPER),
            ("OTP_KMS_KEY_ID", "k"),
        ];
        let c = Config::from_lookup(lookup(&base)).unwrap();
        let w = &c.webauthn;
        assert_eq!(
            (w.rp_id.as_str(), w.rp_name.as_str()),
            ("localhost", "Rackspace")
        );
        assert_eq!(w.origins, ["http://localhost:3000"]);
        assert_eq!(w.user_verification, UserVerification::Preferred);
        assert_eq!((w.ceremony, w.max_devices), (Duration::from_secs(300), 10));
        let with = |name: &'static str, value: &'static str| {
            let mut pairs = base.to_vec();
            pairs.push((name, value));
            Config::from_lookup(lookup(&pairs))
        };
        let c = with(
            "WEBAUTHN_ORIGINS",
            "https://id.example.com, https://console.example.com:8443/",
        )
        .unwrap();
        assert_eq!(
            c.webauthn.origins,
            ["https://id.example.com", "https://console.example.com:8443"]
        );
        for (name, value) in [
            ("WEBAUTHN_RP_ID", ""),
            ("WEBAUTHN_RP_ID", "https://id.example.com"),
            ("WEBAUTHN_RP_ID", "Id.Example.com"),
            ("WEBAUTHN_RP_ID", "id.example.com:443"),
            ("WEBAUTHN_ORIGINS", " , "),
            ("WEBAUTHN_ORIGINS", "http://id.example.com"),
            ("WEBAUTHN_ORIGINS", "http://localhost.example.com"),
            ("WEBAUTHN_ORIGINS", "https://*.example.com"),
            ("WEBAUTHN_ORIGINS", "https://id.example.com/login"),
            ("WEBAUTHN_ORIGINS", "https://id.example.com:https"),
            ("WEBAUTHN_USER_VERIFICATION", "always"),
        ] {
            let e = with(name, value).unwrap_err();
            assert!(e.to_string().contains(name), "{name}={value}: {e}");
        }
        let c = with("WEBAUTHN_USER_VERIFICATION", "required").unwrap();
        assert_eq!(c.webauthn.user_verification, UserVerification::Required);
    }
}
