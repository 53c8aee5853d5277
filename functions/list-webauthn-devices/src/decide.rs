//! What `GET …/webauthn-devices` shows: the user's devices in creation order, never a
//! credential.

use mfa_shared::model::Account;
use mfa_shared::views;
use serde_json::{json, Value};

pub fn answer(target: &Account) -> Value {
    json!({ "RAX-AUTH:webAuthnDevices": views::webauthn_devices(target) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, webauthn_device};

    #[test]
    fn in_the_order_read_without_credentials() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(answer(&t), json!({"RAX-AUTH:webAuthnDevices": []}));
        t.webauthn_devices = vec![webauthn_device("b", false), webauthn_device("a", true)];
        assert_eq!(
            answer(&t),
            json!({"RAX-AUTH:webAuthnDevices": [
                {"id": "b", "name": "b-name", "verified": false},
                {"id": "a", "name": "a-name", "verified": true}]})
        );
    }
}
