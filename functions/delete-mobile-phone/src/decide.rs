//! The rules of `DELETE …/mobile-phones/{mobilePhoneId}` (BEHAVIOR.md 2.5).

use mfa_shared::error::msg;
use mfa_shared::model::{Account, FactorType};
use mfa_shared::ApiError;

/// The phone may go: it is the user's, and SMS is not the active second factor.
pub fn decide(target: &Account, phone_id: &str) -> Result<(), ApiError> {
    if target.phone_with_id(phone_id).is_none() {
        return Err(ApiError::not_found(msg::MOBILE_PHONE_NOT_FOUND));
    }
    if target.user.factor_active(FactorType::Sms) {
        return Err(ApiError::bad_request(msg::CANNOT_DELETE_SMS_PHONE));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{member, phone};

    #[test]
    fn a_phone_goes_unless_sms_needs_it() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(decide(&t, "p").unwrap_err().status(), 404);
        t.phone = Some(phone("p", "+15125550123", true));
        assert!(decide(&t, "p").is_ok());
        assert_eq!(
            decide(&t, "q").unwrap_err().to_string(),
            msg::MOBILE_PHONE_NOT_FOUND
        );
        t.user.mfa.enabled = true;
        assert_eq!(
            decide(&t, "p").unwrap_err().to_string(),
            msg::CANNOT_DELETE_SMS_PHONE
        );
        t.user.mfa.factor_type = Some(FactorType::Otp);
        assert!(
            decide(&t, "p").is_ok(),
            "OTP as the factor leaves the phone free"
        );
    }
}
