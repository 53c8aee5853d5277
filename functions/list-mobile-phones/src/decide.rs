//! What `GET …/mobile-phones` shows: the user's one phone, or none.

use mfa_shared::model::Account;
use mfa_shared::views;
use serde_json::{json, Value};

pub fn answer(target: &Account) -> Value {
    json!({ "RAX-AUTH:mobilePhones": views::mobile_phones(target) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, phone};

    #[test]
    fn zero_or_one_phone_with_its_verified_flag() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(answer(&t), json!({"RAX-AUTH:mobilePhones": []}));
        t.phone = Some(phone("p", "+15125550123", true));
        assert_eq!(
            answer(&t),
            json!({"RAX-AUTH:mobilePhones": [{"id": "p", "number": "+15125550123", "verified": true}]})
        );
    }
}
