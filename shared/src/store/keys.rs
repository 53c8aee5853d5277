//! Partition and sort keys of every item kind.

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub const PROFILE: &str = "PROFILE";
pub const PHONE_PREFIX: &str = "PHONE#";
pub const SEND_LOG_PREFIX: &str = "SENDLOG#";
pub const OTP_PREFIX: &str = "OTP#";
pub const WEBAUTHN_PREFIX: &str = "WEBAUTHN#";
pub const CREDENTIAL: &str = "CREDENTIAL";
pub const BYPASS_PREFIX: &str = "BYPASS#";
pub const DOMAIN: &str = "DOMAIN";
pub const SESSION: &str = "SESSION";
pub const TOKEN: &str = "TOKEN";
pub const SMS_HOUR: &str = "SMSHOUR#";
pub const API_KEY: &str = "APIKEY";
pub const TENANT_PREFIX: &str = "TENANT#";
pub const TENANT: &str = "TENANT";
pub const CONFIG: &str = "CONFIG";
pub const CATALOG: &str = "CATALOG";
/// Security events sort after every other item of a partition ('~' is the last printable ASCII
/// character; every other sort key starts with a capital), so that reading a user's state is
/// one Query that stops before them (`load_account`).
pub const EVENT_PREFIX: &str = "~EVENT#";

/// The attribute names that conditions and updates name, as the models serialise them (a test
/// holds each to its model's serde name).
pub mod attr {
    /// `User`
    pub const ENABLED: &str = "enabled";
    pub const MFA: &str = "mfa";
    pub const PHONE_ID: &str = "phoneId";
    pub const OTP_DEVICE_COUNT: &str = "otpDeviceCount";
    pub const VERIFIED_OTP_COUNT: &str = "verifiedOtpCount";
    pub const WEBAUTHN_DEVICE_COUNT: &str = "webauthnDeviceCount";
    pub const VERIFIED_WEBAUTHN_COUNT: &str = "verifiedWebauthnCount";
    pub const WEBAUTHN_USER_HANDLE: &str = "webauthnUserHandle";
    pub const BYPASS_VERSION: &str = "bypassVersion";
    pub const TOKEN_EPOCH: &str = "tokenEpoch";
    pub const PASSWORD_TOKEN_EPOCH: &str = "passwordTokenEpoch";
    /// `MfaSettings` (inside `mfa`)
    pub const FACTOR_TYPE: &str = "factorType";
    pub const ENFORCEMENT_LEVEL: &str = "enforcementLevel";
    pub const FAILED_ATTEMPTS: &str = "failedAttempts";
    pub const LAST_FAILED_AT: &str = "lastFailedAt";
    pub const CONSECUTIVE_FAILURES: &str = "consecutiveFailures";
    pub const FAILURES: &str = "failures";
    pub const WINDOW_START: &str = "windowStart";
    /// `MobilePhone`, `OtpDevice`, `PendingPin`
    pub const VERIFIED: &str = "verified";
    pub const PIN: &str = "pin";
    pub const HASH: &str = "hash";
    pub const LAST_STEP: &str = "lastStep";
    /// `WebAuthnDevice`
    pub const REGISTRATION: &str = "registration";
    pub const CREDENTIAL: &str = "credential";
    pub const CREDENTIAL_ID: &str = "credentialId";
    pub const SIGN_COUNT: &str = "signCount";
    /// `MfaSession`
    pub const USED: &str = "used";
    /// `SendLog`
    pub const VERSION: &str = "version";
    /// `Domain`
    pub const ID: &str = "id";
    pub const API_KEY_LOGINS: &str = "apiKeyLogins";
    /// `DomainSmsHour`
    pub const HOUR: &str = "hour";
    pub const COUNT: &str = "count";
    /// Every item with a lifetime: the table's TTL attribute.
    pub const EXPIRES_AT: &str = "expiresAt";
}

pub fn user_pk(user_id: &str) -> String {
    format!("USER#{user_id}")
}

pub fn phone_sk(phone_id: &str) -> String {
    format!("{PHONE_PREFIX}{phone_id}")
}

pub fn otp_sk(device_id: &str) -> String {
    format!("{OTP_PREFIX}{device_id}")
}

pub fn webauthn_sk(device_id: &str) -> String {
    format!("{WEBAUTHN_PREFIX}{device_id}")
}

/// A credential id's reservation across users (`WEBAUTHNCRED#<sha256(id)>` / `CREDENTIAL`).
pub fn credential_pk(credential_id_hash: &str) -> String {
    format!("WEBAUTHNCRED#{credential_id_hash}")
}

pub fn bypass_sk(hash: &str) -> String {
    format!("{BYPASS_PREFIX}{hash}")
}

pub fn session_pk(session_hash: &str) -> String {
    format!("SESSION#{session_hash}")
}

pub fn send_log_sk(e164: &str) -> String {
    format!("{SEND_LOG_PREFIX}{e164}")
}

/// Usernames are unique case-insensitively (DECISIONS.md 14).
pub fn username_pk(username: &str) -> String {
    format!("USERNAME#{}", username.to_lowercase())
}

/// A domain's SMS count in one clock hour (`DOMAIN#<id>` / `SMSHOUR#<hours since epoch>`).
pub fn sms_hour_sk(hour: i64) -> String {
    format!("{SMS_HOUR}{hour}")
}

/// A tenant of a domain (`DOMAIN#<domain>` / `TENANT#<id>`), listed with one Query.
pub fn tenant_sk(tenant_id: &str) -> String {
    format!("{TENANT_PREFIX}{tenant_id}")
}

/// A tenant id's reservation across domains (`TENANT#<id>` / `TENANT`).
pub fn tenant_pk(tenant_id: &str) -> String {
    format!("{TENANT_PREFIX}{tenant_id}")
}

pub fn domain_pk(domain_id: &str) -> String {
    format!("DOMAIN#{domain_id}")
}

/// A security event, in its user's or its domain's partition (`~EVENT#<id>`: ids sort by time).
pub fn event_sk(event_id: &str) -> String {
    format!("{EVENT_PREFIX}{event_id}")
}

pub fn token_pk(token_hash: &str) -> String {
    format!("TOKEN#{token_hash}")
}

pub fn key(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("PK".to_owned(), AttributeValue::S(pk)),
        ("SK".to_owned(), AttributeValue::S(sk.to_owned())),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn events_sort_after_every_other_item_of_a_partition() {
        use super::*;
        let others = [
            PROFILE,
            PHONE_PREFIX,
            SEND_LOG_PREFIX,
            OTP_PREFIX,
            WEBAUTHN_PREFIX,
            CREDENTIAL,
            BYPASS_PREFIX,
            DOMAIN,
            SESSION,
            TOKEN,
            SMS_HOUR,
            API_KEY,
            TENANT_PREFIX,
            TENANT,
            CONFIG,
            CATALOG,
        ];
        for sk in others {
            // Their ids follow the prefix: no character of an id sorts after '~' either.
            assert!(format!("{sk}zzzz").as_str() < EVENT_PREFIX, "{sk}");
        }
    }

    use super::attr;
    use crate::model::*;
    use serde_json::Value;

    fn names(value: impl serde::Serialize) -> Vec<String> {
        match serde_json::to_value(value).unwrap() {
            Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn every_attribute_name_is_its_models_serde_name() {
        let mut user = crate::fixtures::user("u", "identity:default", Some("d"));
        user.phone_id = Some("p".into());
        user.webauthn_user_handle = Some("h".into());
        user.mfa.factor_type = Some(FactorType::Sms);
        user.mfa.enforcement_level = Some(EnforcementLevel::Optional);
        user.mfa.last_failed_at = Some(1);
        let user_names = names(&user);
        for name in [
            attr::ENABLED,
            attr::MFA,
            attr::PHONE_ID,
            attr::OTP_DEVICE_COUNT,
            attr::VERIFIED_OTP_COUNT,
            attr::WEBAUTHN_DEVICE_COUNT,
            attr::VERIFIED_WEBAUTHN_COUNT,
            attr::WEBAUTHN_USER_HANDLE,
            attr::BYPASS_VERSION,
            attr::TOKEN_EPOCH,
            attr::PASSWORD_TOKEN_EPOCH,
        ] {
            assert!(user_names.contains(&name.to_owned()), "User has no {name}");
        }
        let mfa_names = names(&user.mfa);
        for name in [
            attr::ENABLED,
            attr::FACTOR_TYPE,
            attr::ENFORCEMENT_LEVEL,
            attr::FAILED_ATTEMPTS,
            attr::LAST_FAILED_AT,
            attr::CONSECUTIVE_FAILURES,
        ] {
            assert!(
                mfa_names.contains(&name.to_owned()),
                "MfaSettings has no {name}"
            );
        }
        let pin = PendingPin {
            hash: "h".into(),
            expires_at: 1,
            failed_attempts: 0,
        };
        assert!(names(&pin).contains(&attr::HASH.to_owned()));
        let failures = crate::model::LoginFailures {
            failures: 1,
            window_start: 1,
        };
        assert_eq!(
            names(&failures),
            [attr::FAILURES, attr::WINDOW_START].map(str::to_owned)
        );
        assert!(names(&pin).contains(&attr::FAILED_ATTEMPTS.to_owned()));
        let phone = crate::fixtures::phone("p", "+15125550123", true);
        let phone = MobilePhone {
            pin: Some(pin),
            ..phone
        };
        for name in [attr::VERIFIED, attr::PIN] {
            assert!(
                names(&phone).contains(&name.to_owned()),
                "MobilePhone has no {name}"
            );
        }
        let mut device = crate::fixtures::otp_device("o", true);
        device.last_step = Some(1);
        assert!(names(&device).contains(&attr::LAST_STEP.to_owned()));
        let mut key = crate::fixtures::webauthn_device("w", false);
        for name in [attr::VERIFIED, attr::REGISTRATION, attr::SIGN_COUNT] {
            assert!(
                names(&key).contains(&name.to_owned()),
                "WebAuthnDevice has no {name}"
            );
        }
        key.credential = Some("{}".into());
        key.credential_id = Some("id".into());
        for name in [attr::CREDENTIAL, attr::CREDENTIAL_ID] {
            assert!(
                names(&key).contains(&name.to_owned()),
                "WebAuthnDevice has no {name}"
            );
        }
        let session = crate::fixtures::session("u", FactorType::Otp, 0);
        assert!(names(&session).contains(&attr::USED.to_owned()));
        assert!(names(&session).contains(&attr::EXPIRES_AT.to_owned()));
        let log = SendLog::new(SendScope::Logins).with_send(1);
        assert!(names(&log).contains(&attr::VERSION.to_owned()));
        assert!(names(&log).contains(&attr::EXPIRES_AT.to_owned()));
        let domain = Domain {
            id: "d".into(),
            enabled: true,
            enforcement_level: None,
            password_token_epoch: 0,
            api_key_logins: true,
        };
        for name in [attr::ID, attr::API_KEY_LOGINS, attr::PASSWORD_TOKEN_EPOCH] {
            assert!(
                names(&domain).contains(&name.to_owned()),
                "Domain has no {name}"
            );
        }
        let hour = DomainSmsHour { hour: 1, count: 1 };
        for name in [attr::HOUR, attr::COUNT] {
            assert!(
                names(&hour).contains(&name.to_owned()),
                "DomainSmsHour has no {name}"
            );
        }
    }
}
