//! What `GET …/mobile-phones/{mobilePhoneId}` shows (BEHAVIOR.md 2.2).

use mfa_shared::error::msg;
use mfa_shared::model::Account;
use mfa_shared::{views, ApiError};
use serde_json::{json, Value};

/// The user's phone with this id, or 404 (another user's phone id never matches).
pub fn answer(target: &Account, phone_id: &str) -> Result<Value, ApiError> {
    let phone = target
        .phone_with_id(phone_id)
        .ok_or_else(|| ApiError::not_found(msg::MOBILE_PHONE_NOT_FOUND))?;
    Ok(json!({ "RAX-AUTH:mobilePhone": views::mobile_phone(phone, true) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, phone};

    #[test]
    fn only_the_users_own_phone_by_its_id() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(answer(&t, "p").unwrap_err().status(), 404);
        t.phone = Some(phone("p", "+15125550123", false));
        assert_eq!(
            answer(&t, "p").unwrap(),
            json!({"RAX-AUTH:mobilePhone": {"id": "p", "number": "+15125550123", "verified": false}})
        );
        assert_eq!(
            answer(&t, "other").unwrap_err().to_string(),
            msg::MOBILE_PHONE_NOT_FOUND
        );
    }
}
