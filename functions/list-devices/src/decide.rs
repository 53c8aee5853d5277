//! What `GET …/multi-factor/devices` shows (BEHAVIOR.md 2.4, WEBAUTHN.md 3): every array,
//! always.

use mfa_shared::model::Account;
use mfa_shared::views;
use serde_json::{json, Value};

pub fn answer(target: &Account) -> Value {
    let otp: Vec<_> = target.otp_devices.iter().map(views::otp_device).collect();
    let phones = views::mobile_phones(target);
    let keys = views::webauthn_devices(target);
    json!({ "RAX-AUTH:multiFactorDevices": {
        "mobilePhones": phones, "otpDevices": otp, "webAuthnDevices": keys } })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, otp_device, phone, webauthn_device};

    #[test]
    fn every_list_even_when_empty_and_never_a_secret() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(
            answer(&t),
            json!({"RAX-AUTH:multiFactorDevices": {
                "mobilePhones": [], "otpDevices": [], "webAuthnDevices": []}})
        );
        t.phone = Some(phone("p", "+15125550123", true));
        t.otp_devices = vec![otp_device("o1", true), otp_device("o2", false)];
        t.webauthn_devices = vec![webauthn_device("w", true)];
        let shown = answer(&t);
        assert_eq!(
            shown["RAX-AUTH:multiFactorDevices"]["otpDevices"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            shown["RAX-AUTH:multiFactorDevices"]["otpDevices"][1],
            json!({"id": "o2", "name": "o2-name", "verified": false})
        );
        assert_eq!(
            shown["RAX-AUTH:multiFactorDevices"]["webAuthnDevices"],
            json!([{"id": "w", "name": "w-name", "verified": true}])
        );
    }
}
