//! What `GET …/webauthn-devices/{deviceId}` shows (WEBAUTHN.md "Operations" 3).

use mfa_shared::error::msg;
use mfa_shared::model::Account;
use mfa_shared::{views, ApiError};
use serde_json::{json, Value};

pub fn answer(target: &Account, device_id: &str) -> Result<Value, ApiError> {
    let device = target
        .webauthn_device(device_id)
        .ok_or_else(|| ApiError::not_found(msg::WEBAUTHN_DEVICE_NOT_FOUND))?;
    Ok(json!({ "RAX-AUTH:webAuthnDevice": views::webauthn_device(device) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, webauthn_device};

    #[test]
    fn the_users_device_by_id_or_404_and_never_its_credential() {
        let mut t = member("t", "identity:default", "acme");
        t.webauthn_devices = vec![webauthn_device("w", true)];
        assert_eq!(
            answer(&t, "w").unwrap(),
            json!({"RAX-AUTH:webAuthnDevice": {"id": "w", "name": "w-name", "verified": true}})
        );
        assert_eq!(
            answer(&t, "x").unwrap_err().to_string(),
            msg::WEBAUTHN_DEVICE_NOT_FOUND
        );
    }
}
