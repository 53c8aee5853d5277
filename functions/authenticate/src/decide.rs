//! The rules of `POST /v2.0/tokens` (BEHAVIOR.md 7, DECISIONS.md "Login", 4, 12-16), without
//! I/O: what a first factor leads to, whether a login session can take a passcode, what a
//! passcode proves, and how a failure counts.

use mfa_shared::error::msg;
use mfa_shared::model::{
    Account, Counted, Domain, EnforcementLevel, FactorType, Lockout, MfaSession, SETUP_MFA_SCOPE,
};
use mfa_shared::secrets::totp::match_totp;
use mfa_shared::secrets::{constant_time_eq, keyed_hash, CodePurpose};
use mfa_shared::store::LoginProof;
use mfa_shared::webauthn::{verify_assertion, AssertionResponse, Refusal, RelyingParty};
use mfa_shared::ApiError;

/// Where a correct first factor leads.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstFactor {
    /// The second factor is asked for (401 with a session id).
    Challenge(FactorType),
    /// A token, SETUP-MFA scoped or not.
    Token { scope: Option<&'static str> },
}

/// After a correct password (BEHAVIOR.md 7.1, 7.6, 7.7), for the account and its domain as
/// read: disabled 403; MFA on: a SETUP-MFA scope 403, a lock 401 without a session, else the
/// challenge; MFA off: the enforcement level decides (REQUIRED: 403, or a SETUP-MFA token
/// when asked for one).
pub fn after_password(
    account: &Account,
    domain: Option<&Domain>,
    setup_scope: bool,
    lockout: &Lockout,
    now: i64,
) -> Result<FirstFactor, ApiError> {
    let user = &account.user;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username.clone()));
    }
    if user.mfa.enabled {
        if setup_scope {
            return Err(scope_not_supported());
        }
        if lockout.is_locked(&user.mfa, now) {
            // The password step answers a lock with 401, and no session (BEHAVIOR.md 7.1).
            let fault = ApiError::Unauthorized(msg::LOCKED_OUT.to_owned());
            return Err(fault.with_header(USER_NAME, &user.username));
        }
        return Ok(FirstFactor::Challenge(user.factor()));
    }
    match (setup_scope, requires_mfa(account, domain)) {
        (true, true) => Ok(FirstFactor::Token {
            scope: Some(SETUP_MFA_SCOPE),
        }),
        (true, false) => Err(scope_not_supported()),
        (false, true) => Err(ApiError::Forbidden(msg::MUST_SETUP_MFA.to_owned())),
        (false, false) => Ok(FirstFactor::Token { scope: None }),
    }
}

/// After a correct API key (BEHAVIOR.md 7.1): never challenged, never blocked by enforcement —
/// unless the domain forbids API-key logins; a SETUP-MFA token on the password's terms
/// (BEHAVIOR.md 11.10).
pub fn after_api_key(
    account: &Account,
    domain: Option<&Domain>,
    setup_scope: bool,
) -> Result<Option<&'static str>, ApiError> {
    let user = &account.user;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username.clone()));
    }
    if domain.is_some_and(|d| !d.api_key_logins) {
        return Err(ApiError::Forbidden(msg::API_KEY_LOGINS_OFF.to_owned()));
    }
    match setup_scope {
        false => Ok(None),
        true if !user.mfa.enabled && requires_mfa(account, domain) => Ok(Some(SETUP_MFA_SCOPE)),
        true => Err(scope_not_supported()),
    }
}

fn requires_mfa(account: &Account, domain: Option<&Domain>) -> bool {
    EnforcementLevel::requires_mfa(
        account.user.mfa.enforcement_level,
        domain.and_then(|d| d.enforcement_level),
    )
}

fn scope_not_supported() -> ApiError {
    ApiError::Forbidden(msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned())
}

/// `X-User-Name` on login answers about a known user (BEHAVIOR.md 7.3).
pub const USER_NAME: &str = "x-user-name";

pub fn cannot_authenticate() -> ApiError {
    ApiError::Unauthorized(msg::CANNOT_AUTHENTICATE.to_owned())
}

/// 403 lockout, answered about a known user.
pub fn locked_out(username: &str) -> ApiError {
    ApiError::Forbidden(msg::LOCKED_OUT.to_owned()).with_header(USER_NAME, username)
}

/// Whether a login session can take a passcode now (BEHAVIOR.md 7.3 steps 5-8.1): expired 401;
/// the user disabled 403, or disabled and enabled since (a new epoch) 401; MFA off or without a
/// usable device 400; locked 403.
pub fn session_usable(
    session: &MfaSession,
    account: &Account,
    lockout: &Lockout,
    now: i64,
) -> Result<(), ApiError> {
    if now >= session.expires_at_ms {
        return Err(ApiError::Unauthorized(msg::SESSION_EXPIRED.to_owned()));
    }
    let user = &account.user;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username.clone()));
    }
    // Disabling a user revokes its sessions too (DECISIONS.md 13).
    if session.epoch != user.token_epoch || session.created_at < user.tokens_valid_after {
        return Err(cannot_authenticate());
    }
    let usable = !account.verified_device_ids(user.factor()).is_empty();
    if !user.mfa.enabled || !usable {
        return Err(ApiError::bad_request(msg::UNKNOWN_CREDENTIAL));
    }
    if lockout.is_locked(&user.mfa, now) {
        return Err(locked_out(&user.username));
    }
    Ok(())
}

/// What a passcode is checked against.
pub struct Evidence<'a> {
    pub passcode: &'a str,
    pub session: &'a MfaSession,
    pub session_hash: &'a str,
    pub pepper: &'a [u8],
    /// The opened keys of the user's verified OTP devices, in their order (OTP users only).
    pub otp_keys: &'a [Vec<u8>],
    /// In milliseconds, as bypass codes expire: whole seconds would stretch a code by up to one.
    pub now_ms: i64,
    pub otp_window: i64,
}

/// What the passcode proves: the primary factor first, then a bypass code (BEHAVIOR.md 6);
/// every comparison in constant time.
pub fn prove<'a>(account: &'a Account, e: &Evidence<'_>) -> Option<LoginProof<'a>> {
    let primary = match account.user.factor() {
        FactorType::Sms => e.session.passcode_hash.as_ref().and_then(|stored| {
            let submitted = keyed_hash(
                e.pepper,
                CodePurpose::LoginPasscode,
                e.session_hash,
                e.passcode,
            );
            (e.session.factor == FactorType::Sms && constant_time_eq(stored, &submitted))
                .then_some(LoginProof::SmsPasscode)
        }),
        // A WebAuthn user's passcode can only be a bypass code.
        FactorType::WebAuthn => None,
        FactorType::Otp => {
            account
                .verified_otp_devices()
                .zip(e.otp_keys)
                .find_map(|(device, key)| {
                    match_totp(
                        key,
                        e.passcode,
                        e.now_ms / 1000,
                        e.otp_window,
                        device.last_step,
                    )
                    .map(|step| LoginProof::Otp {
                        device_id: &device.id,
                        step,
                    })
                })
        }
    };
    primary.or_else(|| {
        let submitted = keyed_hash(
            e.pepper,
            CodePurpose::BypassCode,
            &account.user.id,
            e.passcode,
        );
        account
            .bypass_codes
            .iter()
            .find(|code| code.expires_at_ms > e.now_ms && constant_time_eq(&code.hash, &submitted))
            .map(|code| LoginProof::Bypass { hash: &code.hash })
    })
}

/// `RAX-AUTH:webAuthnCredentials` is for users whose factor is WebAuthn (WEBAUTHN.md "Login").
pub fn expects_assertion(account: &Account) -> Result<(), ApiError> {
    match account.user.factor() {
        FactorType::WebAuthn => Ok(()),
        FactorType::Sms | FactorType::Otp => Err(ApiError::bad_request(msg::UNKNOWN_CREDENTIAL)),
    }
}

/// What a WebAuthn answer proves: an assertion for the challenge this session holds (a session
/// begun under another factor holds none), by one of the user's verified devices as stored now,
/// with a counter above the stored one (`webauthn::verify_assertion`).
pub fn prove_assertion<'a>(
    account: &'a Account,
    session: &MfaSession,
    rp: &RelyingParty,
    answer: &AssertionResponse,
) -> Result<LoginProof<'a>, Refusal> {
    let state = session
        .assertion
        .as_deref()
        .filter(|_| session.factor == FactorType::WebAuthn)
        .ok_or(Refusal::Challenge)?;
    let asserted = verify_assertion(rp, state, answer, account.webauthn_devices.iter())?;
    Ok(LoginProof::WebAuthn {
        device_id: &asserted.device.id,
        seen: asserted.device.sign_count,
        sign_count: asserted.sign_count,
    })
}

/// A failed passcode, counted on the counts as read: the new counts, or 403 at once while the
/// lock already holds (nothing counted then, BEHAVIOR.md 7.4).
pub fn failure(account: &Account, lockout: &Lockout, now: i64) -> Result<Counted, ApiError> {
    let mfa = &account.user.mfa;
    if lockout.is_locked(mfa, now) {
        return Err(locked_out(&account.user.username));
    }
    Ok(lockout.after_failure(mfa, now))
}

/// The answer to a counted failure: the one that locks is already 403.
pub fn failure_answer(username: &str, counted: Counted, lockout: &Lockout) -> ApiError {
    if lockout.locks(counted) {
        locked_out(username)
    } else {
        cannot_authenticate().with_header(USER_NAME, username)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{
        config, member, otp_device, phone, session, webauthn_device, SoftKey, Tamper, ORIGIN, RP_ID,
    };
    use mfa_shared::model::BypassCode;
    use mfa_shared::secrets::totp::{hotp, time_step, DIGITS};
    use mfa_shared::webauthn::{begin_registration, finish_registration, AssertionOptions};

    const NOW: i64 = 1_000_000_000;

    fn domain(level: Option<EnforcementLevel>, api_keys: bool) -> Domain {
        Domain {
            id: "acme".into(),
            enabled: true,
            enforcement_level: level,
            password_token_epoch: 0,
            api_key_logins: api_keys,
        }
    }

    fn mfa(factor: FactorType) -> Account {
        let mut a = member("u", "identity:default", "acme");
        a.user.mfa.enabled = true;
        a.user.mfa.factor_type = Some(factor);
        a.phone = Some(phone("p", "+15125550123", true));
        a.otp_devices = vec![otp_device("o", true)];
        a
    }

    fn outcome(r: Result<FirstFactor, ApiError>) -> String {
        match r {
            Ok(f) => format!("{f:?}"),
            Err(e) => format!("{} {}", e.status(), e),
        }
    }

    #[test]
    fn after_a_password() {
        use EnforcementLevel::*;
        let lockout = config().lockout();
        let plain = member("u", "identity:default", "acme");
        let with_level = |level| {
            let mut a = plain.clone();
            a.user.mfa.enforcement_level = Some(level);
            a
        };
        let mut disabled = plain.clone();
        disabled.user.enabled = false;
        let mut locked = mfa(FactorType::Otp);
        locked.user.mfa.failed_attempts = 3;
        locked.user.mfa.last_failed_at = Some(NOW - 1);
        let required = domain(Some(Required), true);
        // (account, domain, SETUP-MFA asked, outcome)
        let cases = [
            (&plain, None, false, "Token { scope: None }".to_owned()),
            (
                &plain,
                Some(&required),
                false,
                format!("403 {}", msg::MUST_SETUP_MFA),
            ),
            (
                &plain,
                Some(&required),
                true,
                "Token { scope: Some(\"SETUP-MFA\") }".to_owned(),
            ),
            (
                &plain,
                None,
                true,
                format!("403 {}", msg::SETUP_SCOPE_NOT_SUPPORTED),
            ),
            (
                &with_level(Optional),
                Some(&required),
                false,
                "Token { scope: None }".to_owned(),
            ),
            (
                &with_level(Required),
                None,
                false,
                format!("403 {}", msg::MUST_SETUP_MFA),
            ),
            (
                &with_level(Default),
                Some(&required),
                false,
                format!("403 {}", msg::MUST_SETUP_MFA),
            ),
            (
                &disabled,
                None,
                false,
                "403 User 'u-name' is disabled.".to_owned(),
            ),
            (
                &mfa(FactorType::Sms),
                Some(&required),
                false,
                "Challenge(Sms)".to_owned(),
            ),
            (
                &mfa(FactorType::Otp),
                None,
                false,
                "Challenge(Otp)".to_owned(),
            ),
            (
                &mfa(FactorType::Otp),
                None,
                true,
                format!("403 {}", msg::SETUP_SCOPE_NOT_SUPPORTED),
            ),
            (&locked, None, false, format!("401 {}", msg::LOCKED_OUT)),
        ];
        for (account, domain, scope, expected) in cases {
            assert_eq!(
                outcome(after_password(account, domain, scope, &lockout, NOW)),
                expected,
                "{expected}"
            );
        }
        let lock = after_password(&locked, None, false, &lockout, NOW)
            .unwrap_err()
            .into_response();
        assert_eq!(lock.headers()["x-user-name"], "u-name");
    }

    #[test]
    fn after_an_api_key() {
        use EnforcementLevel::*;
        let plain = member("u", "identity:default", "acme");
        assert_eq!(after_api_key(&plain, None, false).unwrap(), None);
        assert_eq!(
            after_api_key(
                &mfa(FactorType::Sms),
                Some(&domain(Some(Required), true)),
                false
            )
            .unwrap(),
            None,
            "never challenged, never blocked by enforcement"
        );
        assert_eq!(
            after_api_key(&plain, Some(&domain(None, false)), false)
                .unwrap_err()
                .to_string(),
            msg::API_KEY_LOGINS_OFF
        );
        assert_eq!(
            after_api_key(&plain, Some(&domain(Some(Required), true)), true).unwrap(),
            Some(SETUP_MFA_SCOPE)
        );
        assert_eq!(
            after_api_key(&plain, None, true).unwrap_err().to_string(),
            msg::SETUP_SCOPE_NOT_SUPPORTED
        );
        assert_eq!(
            after_api_key(
                &mfa(FactorType::Otp),
                Some(&domain(Some(Required), true)),
                true
            )
            .unwrap_err()
            .status(),
            403
        );
    }

    #[test]
    fn a_session_takes_a_passcode_while() {
        let lockout = config().lockout();
        let fresh = session("u", FactorType::Otp, NOW);
        let ok = mfa(FactorType::Otp);
        assert!(session_usable(&fresh, &ok, &lockout, NOW).is_ok());
        let expired = session("u", FactorType::Otp, NOW - 300_000);
        assert_eq!(
            session_usable(&expired, &ok, &lockout, NOW)
                .unwrap_err()
                .to_string(),
            msg::SESSION_EXPIRED
        );
        let mut disabled = ok.clone();
        disabled.user.enabled = false;
        assert_eq!(
            session_usable(&fresh, &disabled, &lockout, NOW)
                .unwrap_err()
                .fault_name(),
            "userDisabled"
        );
        let mut reenabled = ok.clone();
        reenabled.user.token_epoch = 1;
        assert_eq!(
            session_usable(&fresh, &reenabled, &lockout, NOW)
                .unwrap_err()
                .to_string(),
            msg::CANNOT_AUTHENTICATE
        );
        let mut off = ok.clone();
        off.user.mfa.enabled = false;
        assert_eq!(
            session_usable(&fresh, &off, &lockout, NOW)
                .unwrap_err()
                .to_string(),
            msg::UNKNOWN_CREDENTIAL
        );
        let mut no_device = ok.clone();
        no_device.otp_devices.clear();
        assert_eq!(
            session_usable(&fresh, &no_device, &lockout, NOW)
                .unwrap_err()
                .to_string(),
            msg::UNKNOWN_CREDENTIAL
        );
        let mut locked = ok;
        locked.user.mfa.failed_attempts = 3;
        locked.user.mfa.last_failed_at = Some(NOW - 1);
        let refused = session_usable(&fresh, &locked, &lockout, NOW).unwrap_err();
        assert_eq!(
            (refused.status(), refused.to_string()),
            (403, msg::LOCKED_OUT.to_owned())
        );
    }

    #[test]
    fn a_passcode_proves_the_factor_then_a_bypass_code() {
        let pepper = b"pepper";
        let key = b"12345678901234567890".to_vec();
        // Half a second past a whole one: a code that expired within it is refused.
        let now_ms = NOW + 500;
        let now_secs = now_ms / 1000;
        let code_now = hotp(&key, time_step(now_secs) as u64, DIGITS);
        let mut sms_session = session("u", FactorType::Sms, NOW);
        sms_session.passcode_hash = Some(keyed_hash(
            pepper,
            CodePurpose::LoginPasscode,
            "sh",
            "7654321",
        ));
        let otp_session = session("u", FactorType::Otp, NOW);
        let mut otp = mfa(FactorType::Otp);
        otp.bypass_codes = vec![
            BypassCode {
                hash: keyed_hash(pepper, CodePurpose::BypassCode, "u", "11112222"),
                expires_at_ms: now_ms + 1,
                expires_at: 0,
            },
            BypassCode {
                hash: keyed_hash(pepper, CodePurpose::BypassCode, "u", "33334444"),
                expires_at_ms: now_ms - 1,
                expires_at: 0,
            },
        ];
        let sms = mfa(FactorType::Sms);
        let keys = [key.clone()];
        let evidence = |passcode: &'static str, session: &'static MfaSession| Evidence {
            passcode,
            session,
            session_hash: "sh",
            pepper,
            otp_keys: &[],
            now_ms,
            otp_window: 1,
        };
        let sms_session: &'static MfaSession = Box::leak(Box::new(sms_session));
        let otp_session: &'static MfaSession = Box::leak(Box::new(otp_session));
        assert_eq!(
            prove(&sms, &evidence("7654321", sms_session)),
            Some(LoginProof::SmsPasscode)
        );
        assert_eq!(prove(&sms, &evidence("7654320", sms_session)), None);
        let with_keys = |passcode| Evidence {
            otp_keys: &keys,
            ..evidence(passcode, otp_session)
        };
        let code: &'static str = Box::leak(code_now.into_boxed_str());
        assert_eq!(
            prove(&otp, &with_keys(code)),
            Some(LoginProof::Otp {
                device_id: "o",
                step: time_step(now_secs)
            })
        );
        assert_eq!(
            prove(&otp, &with_keys("11112222")),
            Some(LoginProof::Bypass {
                hash: &otp.bypass_codes[0].hash
            })
        );
        assert_eq!(
            prove(&otp, &with_keys("33334444")),
            None,
            "an expired bypass code"
        );
        assert_eq!(
            prove(&otp, &evidence(code, otp_session)),
            None,
            "no key opened, no OTP proof"
        );
    }

    #[test]
    fn failures_count_until_the_lock() {
        let lockout = config().lockout();
        let counts = |attempts, consecutive| Counted {
            attempts,
            consecutive,
        };
        let mut a = mfa(FactorType::Otp);
        assert_eq!(failure(&a, &lockout, NOW).unwrap(), counts(1, 1));
        a.user.mfa.failed_attempts = 2;
        a.user.mfa.consecutive_failures = 2;
        a.user.mfa.last_failed_at = Some(NOW - 10);
        assert_eq!(failure(&a, &lockout, NOW).unwrap(), counts(3, 3));
        assert_eq!(
            failure_answer("u-name", counts(3, 3), &lockout).status(),
            403
        );
        assert_eq!(
            failure_answer("u-name", counts(2, 2), &lockout).status(),
            401
        );
        assert_eq!(
            failure_answer("u-name", counts(1, 100), &lockout).status(),
            403,
            "the hundredth consecutive failure locks, whatever the lock's own count"
        );
        a.user.mfa.failed_attempts = 3;
        assert_eq!(
            failure(&a, &lockout, NOW).unwrap_err().status(),
            403,
            "locked: nothing counted"
        );
    }

    /// A WebAuthn user with one key registered through the relying party, and that key.
    fn webauthn_user(rp: &RelyingParty) -> (Account, SoftKey) {
        let mut a = mfa(FactorType::WebAuthn);
        let mut key = SoftKey::new(ORIGIN, RP_ID);
        let options = begin_registration(rp, "aGFuZGxl", "u-name", &[]).unwrap();
        let answer = key.register(&options.public_key, &Tamper::default());
        let new = finish_registration(rp, &options.state, &answer).unwrap();
        let mut device = webauthn_device("w", true);
        device.credential = Some(new.credential);
        device.credential_id = Some(new.credential_id);
        a.webauthn_devices = vec![device];
        (a, key)
    }

    #[test]
    fn a_webauthn_answer_proves_the_factor_in_its_own_session_only() {
        let rp = RelyingParty::new(&config().webauthn).unwrap();
        let (account, mut key) = webauthn_user(&rp);
        let lockout = config().lockout();
        let options = AssertionOptions::new(&rp, account.verified_webauthn_devices(), 1).unwrap();
        let mut s = session("u", FactorType::WebAuthn, NOW);
        s.assertion = Some(options.state.clone());
        assert!(session_usable(&s, &account, &lockout, NOW).is_ok());
        assert!(expects_assertion(&account).is_ok());
        let answer = |key: &mut SoftKey| -> AssertionResponse {
            serde_json::from_value(key.assert(&options.public_key, &Tamper::default())).unwrap()
        };
        assert_eq!(
            prove_assertion(&account, &s, &rp, &answer(&mut key)),
            Ok(LoginProof::WebAuthn {
                device_id: "w",
                seen: 0,
                sign_count: 1
            })
        );
        let mut otp_session = s.clone();
        otp_session.factor = FactorType::Otp;
        let no_state = MfaSession {
            assertion: None,
            ..s.clone()
        };
        for other in [&otp_session, &no_state] {
            assert_eq!(
                prove_assertion(&account, other, &rp, &answer(&mut key)),
                Err(Refusal::Challenge)
            );
        }
        let (stranger, mut strangers_key) = webauthn_user(&rp);
        assert_eq!(
            prove_assertion(&account, &s, &rp, &answer(&mut strangers_key)),
            Err(Refusal::UnknownCredential),
            "another user's credential"
        );
        assert!(prove_assertion(&stranger, &s, &rp, &answer(&mut key)).is_err());
        let otp = mfa(FactorType::Otp);
        assert_eq!(
            expects_assertion(&otp).unwrap_err().to_string(),
            msg::UNKNOWN_CREDENTIAL
        );
        let mut without_keys = account.clone();
        without_keys.webauthn_devices[0].verified = false;
        assert_eq!(
            session_usable(&s, &without_keys, &lockout, NOW)
                .unwrap_err()
                .to_string(),
            msg::UNKNOWN_CREDENTIAL
        );
    }

    #[test]
    fn a_passcode_in_a_webauthn_session_can_only_be_a_bypass_code() {
        let pepper = b"pepper";
        let mut a = mfa(FactorType::WebAuthn);
        a.bypass_codes = vec![BypassCode {
            hash: keyed_hash(pepper, CodePurpose::BypassCode, "u", "11112222"),
            expires_at_ms: NOW + 1,
            expires_at: 0,
        }];
        let s = session("u", FactorType::WebAuthn, NOW);
        let evidence = |passcode| Evidence {
            passcode,
            session: &s,
            session_hash: "sh",
            pepper,
            otp_keys: &[],
            now_ms: NOW,
            otp_window: 1,
        };
        assert_eq!(
            prove(&a, &evidence("11112222")),
            Some(LoginProof::Bypass {
                hash: &a.bypass_codes[0].hash
            })
        );
        assert_eq!(prove(&a, &evidence("11112223")), None);
    }
}
