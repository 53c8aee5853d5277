//! The rules of `POST …/mobile-phones` (BEHAVIOR.md 2.1, DECISIONS.md 8, 20; the SMS region
//! allow-list), without I/O.

use mfa_shared::config::Config;
use mfa_shared::error::msg;
use mfa_shared::model::{Account, FactorType, MobilePhone};
use mfa_shared::phone::{region_refused, ParsedNumber};
use mfa_shared::ApiError;

/// What to do with the number.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// The same number again: answer with the phone the user has.
    Keep(MobilePhone),
    /// Link `phone` in place of `replaced` (or of no phone).
    Replace {
        phone: MobilePhone,
        replaced: Option<MobilePhone>,
    },
}

/// `number` as parsed (`None`: not a valid number), for `target` as read; `new_id` and `now`
/// name a new phone.
pub fn decide(
    target: &Account,
    number: Option<&ParsedNumber>,
    config: &Config,
    new_id: &str,
    now: i64,
) -> Result<Plan, ApiError> {
    // DECISIONS.md 8: before the number is even looked at.
    if target.user.factor_active(FactorType::Sms) {
        return Err(ApiError::bad_request(msg::CANNOT_REPLACE_PHONE));
    }
    let number = number.ok_or_else(|| ApiError::bad_request(msg::INVALID_NUMBER))?;
    if !config.sms_region_allowed(number.region.as_deref()) {
        return Err(region_refused(config, number.region.as_deref()));
    }
    if let Some(existing) = target.phone.as_ref().filter(|p| p.number == number.e164) {
        return Ok(Plan::Keep(existing.clone()));
    }
    Ok(Plan::Replace {
        phone: MobilePhone {
            id: new_id.to_owned(),
            number: number.e164.clone(),
            display: number.international.clone(),
            region: number.region.clone(),
            verified: false,
            pin: None,
            created_at: now,
        },
        replaced: target.phone.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{config, member, phone};

    fn parsed(e164: &str, region: Option<&str>) -> ParsedNumber {
        ParsedNumber {
            e164: e164.into(),
            international: format!("intl {e164}"),
            region: region.map(str::to_owned),
        }
    }

    #[test]
    fn a_number_is_added_kept_replaced_or_refused() {
        let c = config();
        let us = parsed("+15125550123", Some("US"));
        let other = parsed("+15125550199", Some("US"));
        let none = member("t", "identity:default", "acme");
        let mut has = none.clone();
        has.phone = Some(phone("old", "+15125550123", true));
        let mut sms_on = has.clone();
        sms_on.user.mfa.enabled = true;
        let mut otp_on = has.clone();
        otp_on.user.mfa.enabled = true;
        otp_on.user.mfa.factor_type = Some(FactorType::Otp);

        let added = decide(&none, Some(&us), &c, "new", 7).unwrap();
        assert!(matches!(&added, Plan::Replace { phone, replaced: None }
            if phone.id == "new" && phone.display == "intl +15125550123" && !phone.verified && phone.created_at == 7));
        assert!(
            matches!(decide(&has, Some(&us), &c, "new", 7).unwrap(), Plan::Keep(p) if p.id == "old")
        );
        assert!(matches!(decide(&has, Some(&other), &c, "new", 7).unwrap(),
            Plan::Replace { replaced: Some(old), .. } if old.id == "old"));
        assert!(
            matches!(
                decide(&otp_on, Some(&other), &c, "new", 7).unwrap(),
                Plan::Replace { .. }
            ),
            "only SMS as the active factor pins the phone"
        );
        // (target, number, message) of each refusal, in the original's order.
        for (target, number, message) in [
            (&sms_on, Some(&other), msg::CANNOT_REPLACE_PHONE.to_owned()),
            (&sms_on, None, msg::CANNOT_REPLACE_PHONE.to_owned()),
            (&none, None, msg::INVALID_NUMBER.to_owned()),
            (&none, Some(&parsed("+442079460958", Some("GB"))),
             "Phone numbers in region GB cannot receive SMS from this service (allowed: US).".to_owned()),
            (&none, Some(&parsed("+80012345678", None)),
             "Phone numbers outside a region cannot receive SMS from this service (allowed: US).".to_owned()),
        ] {
            let refused = decide(target, number, &c, "new", 7).unwrap_err();
            assert_eq!((refused.status(), refused.to_string()), (400, message));
        }
    }
}
