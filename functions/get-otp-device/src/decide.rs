//! What `GET …/otp-devices/{deviceId}` shows (BEHAVIOR.md 2.9).

use mfa_shared::error::msg;
use mfa_shared::model::Account;
use mfa_shared::{views, ApiError};
use serde_json::{json, Value};

pub fn answer(target: &Account, device_id: &str) -> Result<Value, ApiError> {
    let device = target
        .otp_device(device_id)
        .ok_or_else(|| ApiError::not_found(msg::OTP_DEVICE_NOT_FOUND))?;
    Ok(json!({ "RAX-AUTH:otpDevice": views::otp_device(device) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, otp_device};

    #[test]
    fn the_users_device_by_id_or_404() {
        let mut t = member("t", "identity:default", "acme");
        t.otp_devices = vec![otp_device("o", true)];
        assert_eq!(
            answer(&t, "o").unwrap(),
            json!({"RAX-AUTH:otpDevice": {"id": "o", "name": "o-name", "verified": true}})
        );
        assert_eq!(
            answer(&t, "x").unwrap_err().to_string(),
            msg::OTP_DEVICE_NOT_FOUND
        );
    }
}
