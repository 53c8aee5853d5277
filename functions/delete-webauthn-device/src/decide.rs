//! The rules of `DELETE …/webauthn-devices/{deviceId}` (WEBAUTHN.md "Operations" 3): not the
//! last verified device of a user whose active factor is WebAuthn.

use mfa_shared::error::msg;
use mfa_shared::model::{Account, FactorType, WebAuthnDevice};
use mfa_shared::ApiError;

pub fn decide<'a>(target: &'a Account, device_id: &str) -> Result<&'a WebAuthnDevice, ApiError> {
    let device = target
        .webauthn_device(device_id)
        .ok_or_else(|| ApiError::not_found(msg::WEBAUTHN_DEVICE_NOT_FOUND))?;
    if target.takes_last_of_active_factor(FactorType::WebAuthn, device.verified) {
        return Err(ApiError::bad_request(msg::CANNOT_DELETE_LAST_WEBAUTHN));
    }
    Ok(device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, webauthn_device};

    #[test]
    fn the_last_verified_device_stays_while_webauthn_is_the_factor() {
        let mut t = member("t", "identity:default", "acme");
        t.webauthn_devices = vec![webauthn_device("v", true), webauthn_device("u", false)];
        assert_eq!(
            decide(&t, "x").unwrap_err().to_string(),
            msg::WEBAUTHN_DEVICE_NOT_FOUND
        );
        assert_eq!(decide(&t, "v").unwrap().id, "v", "MFA off");
        t.user.mfa.enabled = true;
        t.user.mfa.factor_type = Some(FactorType::WebAuthn);
        assert_eq!(
            decide(&t, "v").unwrap_err().to_string(),
            msg::CANNOT_DELETE_LAST_WEBAUTHN
        );
        assert_eq!(decide(&t, "u").unwrap().id, "u", "an unverified one may go");
        t.webauthn_devices.push(webauthn_device("w", true));
        assert_eq!(
            decide(&t, "v").unwrap().id,
            "v",
            "another verified one remains"
        );
        t.user.mfa.factor_type = Some(FactorType::Otp);
        t.webauthn_devices.pop();
        assert_eq!(decide(&t, "v").unwrap().id, "v", "OTP as the factor");
    }
}
