//! The rules of `POST …/mobile-phones/{mobilePhoneId}/verify` (BEHAVIOR.md 2.7, DECISIONS.md
//! "Verification PIN"): a keyed hash compared in constant time, expiry in code, at most
//! `PIN_MAX_ATTEMPTS` wrong attempts.

use mfa_shared::config::Config;
use mfa_shared::error::msg;
use mfa_shared::model::{Account, PendingPin, PinCheck};
use mfa_shared::ApiError;

/// What to write.
#[derive(Debug, PartialEq)]
pub enum Plan<'a> {
    /// The PIN is right: the phone is verified, the PIN used up.
    Verify(&'a PendingPin),
    /// A wrong PIN: count the attempt (then 400).
    CountFailure(&'a PendingPin),
}

/// `submitted` is the keyed hash of the code, as the PIN is stored.
pub fn decide<'a>(
    target: &'a Account,
    phone_id: &str,
    submitted: &str,
    config: &Config,
    now: i64,
) -> Result<Plan<'a>, ApiError> {
    let phone = target
        .phone_with_id(phone_id)
        .ok_or_else(|| ApiError::not_found(msg::DEVICE_INVALID))?;
    let bad_pin = || ApiError::bad_request(msg::BAD_PIN);
    let pin = phone.pin.as_ref().ok_or_else(bad_pin)?;
    match phone.check_pin(submitted, now, config.pin_max_attempts) {
        PinCheck::Accepted => Ok(Plan::Verify(pin)),
        PinCheck::Wrong => Ok(Plan::CountFailure(pin)),
        PinCheck::Unusable => Err(bad_pin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{config, member, phone};

    fn pending(attempts: u32, expires_at: i64) -> PendingPin {
        PendingPin {
            hash: "right".into(),
            expires_at,
            failed_attempts: attempts,
        }
    }

    #[test]
    fn a_pin_verifies_counts_or_is_refused() {
        let c = config();
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(decide(&t, "p", "right", &c, 0).unwrap_err().status(), 404);
        let mut p = phone("p", "+15125550123", false);
        t.phone = Some(p.clone());
        assert_eq!(
            decide(&t, "p", "right", &c, 0).unwrap_err().to_string(),
            msg::BAD_PIN,
            "no PIN sent"
        );
        p.pin = Some(pending(0, 1_000));
        t.phone = Some(p.clone());
        assert!(matches!(
            decide(&t, "p", "right", &c, 999).unwrap(),
            Plan::Verify(_)
        ));
        assert!(matches!(
            decide(&t, "p", "wrong", &c, 999).unwrap(),
            Plan::CountFailure(_)
        ));
        assert_eq!(
            decide(&t, "p", "right", &c, 1_000).unwrap_err().to_string(),
            msg::BAD_PIN,
            "expired"
        );
        p.pin = Some(pending(c.pin_max_attempts, 1_000));
        t.phone = Some(p.clone());
        assert_eq!(
            decide(&t, "p", "right", &c, 0).unwrap_err().to_string(),
            msg::BAD_PIN,
            "used up"
        );
        p.verified = true;
        p.pin = Some(pending(0, 1_000));
        t.phone = Some(p);
        assert_eq!(
            decide(&t, "p", "right", &c, 0).unwrap_err().to_string(),
            msg::BAD_PIN,
            "already verified"
        );
    }
}
