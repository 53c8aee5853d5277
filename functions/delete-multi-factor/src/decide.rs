//! The rules of `DELETE …/multi-factor` (BEHAVIOR.md 2.15): always allowed once precedence is
//! (checked by `authorized_target`); it takes away whatever the user has now.

use mfa_shared::model::Account;

/// What removing MFA deletes, as read: the phone, every OTP and WebAuthn device, every bypass
/// code.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub devices: usize,
    pub codes: usize,
}

pub fn decide(target: &Account) -> Plan {
    Plan {
        devices: usize::from(target.phone.is_some())
            + target.otp_devices.len()
            + target.webauthn_devices.len(),
        codes: target.bypass_codes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, otp_device, phone, webauthn_device};
    use mfa_shared::model::BypassCode;

    #[test]
    fn everything_the_user_has_goes() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(
            decide(&t),
            Plan {
                devices: 0,
                codes: 0
            }
        );
        t.phone = Some(phone("p", "+15125550123", true));
        t.otp_devices = vec![otp_device("a", true), otp_device("b", false)];
        t.webauthn_devices = vec![webauthn_device("w", true)];
        t.bypass_codes = vec![BypassCode {
            hash: "h".into(),
            expires_at_ms: 1,
            expires_at: 1,
        }];
        assert_eq!(
            decide(&t),
            Plan {
                devices: 4,
                codes: 1
            }
        );
    }
}
