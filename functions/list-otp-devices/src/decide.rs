//! What `GET …/otp-devices` shows: the user's devices in creation order, never a secret.

use mfa_shared::model::Account;
use mfa_shared::views;
use serde_json::{json, Value};

pub fn answer(target: &Account) -> Value {
    let devices: Vec<_> = target.otp_devices.iter().map(views::otp_device).collect();
    json!({ "RAX-AUTH:otpDevices": devices })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, otp_device};

    #[test]
    fn in_the_order_read_without_secrets() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(answer(&t), json!({"RAX-AUTH:otpDevices": []}));
        t.otp_devices = vec![otp_device("b", false), otp_device("a", true)];
        assert_eq!(
            answer(&t),
            json!({"RAX-AUTH:otpDevices": [
                {"id": "b", "name": "b-name", "verified": false},
                {"id": "a", "name": "a-name", "verified": true}]})
        );
    }
}
