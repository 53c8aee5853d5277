//! The rules of `DELETE …/otp-devices/{deviceId}` (BEHAVIOR.md 2.10): not the last verified
//! device of a user whose active factor is OTP.

use mfa_shared::error::msg;
use mfa_shared::model::{Account, FactorType, OtpDevice};
use mfa_shared::ApiError;

pub fn decide<'a>(target: &'a Account, device_id: &str) -> Result<&'a OtpDevice, ApiError> {
    let device = target
        .otp_device(device_id)
        .ok_or_else(|| ApiError::not_found(msg::DEVICE_NOT_ON_USER))?;
    if target.takes_last_of_active_factor(FactorType::Otp, device.verified) {
        return Err(ApiError::bad_request(msg::CANNOT_DELETE_LAST_OTP));
    }
    Ok(device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, otp_device};

    #[test]
    fn the_last_verified_device_stays_while_otp_is_the_factor() {
        let mut t = member("t", "identity:default", "acme");
        t.otp_devices = vec![otp_device("v", true), otp_device("u", false)];
        assert_eq!(
            decide(&t, "x").unwrap_err().to_string(),
            msg::DEVICE_NOT_ON_USER
        );
        assert_eq!(decide(&t, "v").unwrap().id, "v", "MFA off");
        t.user.mfa.enabled = true;
        t.user.mfa.factor_type = Some(FactorType::Otp);
        assert_eq!(
            decide(&t, "v").unwrap_err().to_string(),
            msg::CANNOT_DELETE_LAST_OTP
        );
        assert_eq!(decide(&t, "u").unwrap().id, "u", "an unverified one may go");
        t.otp_devices.push(otp_device("w", true));
        assert_eq!(
            decide(&t, "v").unwrap().id,
            "v",
            "another verified one remains"
        );
        t.user.mfa.factor_type = Some(FactorType::Sms);
        t.otp_devices.pop();
        assert_eq!(decide(&t, "v").unwrap().id, "v", "SMS as the factor");
    }
}
