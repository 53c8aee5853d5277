//! The rules of `POST …/otp-devices/{deviceId}/verify` (BEHAVIOR.md 2.11, DECISIONS.md "OTP
//! devices"): an unverified device of the user, then a current TOTP code (steps T-1..T+1 by
//! default) later than the device's last accepted step.

use mfa_shared::error::msg;
use mfa_shared::model::{Account, OtpDevice};
use mfa_shared::secrets::totp::match_totp;
use mfa_shared::ApiError;

/// The device to check the code against.
pub fn device<'a>(target: &'a Account, device_id: &str) -> Result<&'a OtpDevice, ApiError> {
    let device = target
        .otp_device(device_id)
        .ok_or_else(|| ApiError::not_found(msg::OTP_DEVICE_NOT_FOUND))?;
    if device.verified {
        return Err(ApiError::bad_request(msg::ALREADY_VERIFIED));
    }
    Ok(device)
}

/// The time step the code is for, given the device's opened key.
pub fn step(
    device: &OtpDevice,
    key: &[u8],
    code: &str,
    now_secs: i64,
    window: i64,
) -> Result<i64, ApiError> {
    match_totp(key, code, now_secs, window, device.last_step)
        .ok_or_else(|| ApiError::bad_request(msg::BAD_PIN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, otp_device};
    use mfa_shared::secrets::totp::{hotp, time_step, DIGITS};

    fn code_at(key: &[u8], unix_secs: i64) -> String {
        hotp(key, time_step(unix_secs) as u64, DIGITS)
    }

    #[test]
    fn an_unverified_device_and_a_current_unreplayed_code() {
        let mut t = member("t", "identity:default", "acme");
        t.otp_devices = vec![otp_device("u", false), otp_device("v", true)];
        assert_eq!(
            device(&t, "x").unwrap_err().to_string(),
            msg::OTP_DEVICE_NOT_FOUND
        );
        assert_eq!(
            device(&t, "v").unwrap_err().to_string(),
            msg::ALREADY_VERIFIED
        );
        let mut d = device(&t, "u").unwrap().clone();
        let key = b"12345678901234567890";
        let now = 59;
        assert_eq!(step(&d, key, &code_at(key, now), now, 1).unwrap(), 1);
        assert_eq!(
            step(&d, key, &code_at(key, now - 30), now, 1).unwrap(),
            0,
            "T-1"
        );
        assert_eq!(
            step(&d, key, &code_at(key, now + 60), now, 1)
                .unwrap_err()
                .to_string(),
            msg::BAD_PIN
        );
        d.last_step = Some(1);
        assert!(
            step(&d, key, &code_at(key, now), now, 1).is_err(),
            "a replay"
        );
    }
}
