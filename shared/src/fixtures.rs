//! Values for the decision tests of every operation (feature `fixtures`, a dev-dependency of
//! the function crates; never in a Lambda binary): users, accounts, devices, tokens, callers
//! and a configuration with the defaults, built in one line each.

use crate::caller::Caller;
use crate::config::Config;
use crate::model::*;
use crate::secrets::sealing::SealedSecret;

/// A user with this identity role (and domain), enabled, MFA off.
pub fn user(id: &str, role: &str, domain: Option<&str>) -> User {
    let mut roles = vec![role.to_owned()];
    if role == "identity:user-manage" {
        roles.push("identity:default".to_owned());
    }
    User::new(id, &format!("{id}-name"), domain, roles, String::new(), 0)
}

/// The user's partition with nothing but the profile.
pub fn account(user: User) -> Account {
    Account {
        user,
        phone: None,
        otp_devices: Vec::new(),
        send_logs: Vec::new(),
        bypass_codes: Vec::new(),
        api_key: None,
    }
}

/// A user of a domain, as an account.
pub fn member(id: &str, role: &str, domain: &str) -> Account {
    account(user(id, role, Some(domain)))
}

pub fn phone(id: &str, e164: &str, verified: bool) -> MobilePhone {
    MobilePhone {
        id: id.to_owned(),
        number: e164.to_owned(),
        display: e164.to_owned(),
        region: Some("US".to_owned()),
        verified,
        pin: None,
        created_at: 0,
    }
}

pub fn otp_device(id: &str, verified: bool) -> OtpDevice {
    OtpDevice {
        id: id.to_owned(),
        name: format!("{id}-name"),
        secret: SealedSecret {
            wrapped_key: String::new(),
            nonce: String::new(),
            ciphertext: String::new(),
        },
        verified,
        last_step: None,
        created_at: 0,
    }
}

/// A login session of the user begun at `now`, valid five minutes.
pub fn session(user_id: &str, factor: FactorType, now: i64) -> MfaSession {
    let expiry = Expiry::at_ms(now + 300_000);
    MfaSession {
        user_id: user_id.to_owned(),
        factor,
        passcode_hash: None,
        created_at: now,
        expires_at_ms: expiry.ms(),
        expires_at: expiry.ttl_secs(),
        used: false,
        epoch: 0,
    }
}

/// A live token of the user, by these methods.
pub fn token(user: &User, methods: &[AuthMethod]) -> Token {
    Token {
        user_id: user.id.clone(),
        issued_at: 0,
        expires_at: i64::MAX / 1000,
        authenticated_by: methods.to_vec(),
        scope: None,
        epoch: user.token_epoch,
        password_epoch: user.password_token_epoch,
        domain_epoch: 0,
        domain_id: user.domain_id.clone(),
        tenant: None,
    }
}

/// The account as a caller with a password token.
pub fn caller(account: Account) -> Caller {
    Caller {
        token: token(&account.user, &[AuthMethod::Password]),
        account,
    }
}

/// The configuration with every default (BEHAVIOR.md's and DECISIONS.md's numbers).
pub fn config() -> Config {
    Config::from_lookup(|name| match name {
        "TABLE_NAME" => Some("t".into()),
        "OTP_KMS_KEY_ID" => Some("alias/k".into()),
        "CODE_PEPPER" => Some("00".repeat(32)),
        _ => None,
    })
    .expect("the defaults are a valid configuration")
}
