//! The rules of `POST …/mobile-phones/{mobilePhoneId}/verificationcode` (BEHAVIOR.md 2.6,
//! DECISIONS.md 7, the SMS budgets), without I/O.

use mfa_shared::config::Config;
use mfa_shared::error::msg;
use mfa_shared::model::{Account, DomainSmsHour, MobilePhone, SmsPurpose, SmsRefused, SmsSpend};
use mfa_shared::phone::region_refused;
use mfa_shared::ApiError;

/// The phone a PIN goes to and what its SMS spends, or which budget refuses it (429 with its
/// wait, and a security event).
#[derive(Debug)]
pub struct Plan<'a> {
    pub phone: &'a MobilePhone,
    pub spend: Result<SmsSpend, SmsRefused>,
}

/// Order: 404 → 400 already verified → 400 region → the budgets.
pub fn decide<'a>(
    target: &'a Account,
    phone_id: &str,
    domain_hour: Option<DomainSmsHour>,
    config: &Config,
    now: i64,
) -> Result<Plan<'a>, ApiError> {
    let phone = target
        .phone_with_id(phone_id)
        .ok_or_else(|| ApiError::not_found(msg::DEVICE_INVALID))?;
    if phone.verified {
        return Err(ApiError::bad_request(msg::ALREADY_VERIFIED));
    }
    // Phones added before the allow-list have no region stored: they keep working.
    if phone.region.is_some() && !config.sms_region_allowed(phone.region.as_deref()) {
        return Err(region_refused(config, phone.region.as_deref()));
    }
    let spend = SmsSpend::plan(
        SmsPurpose::Verification(&phone.number),
        target,
        domain_hour,
        &config.sms_limits(),
        now,
    );
    Ok(Plan { phone, spend })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{config, member, phone};
    use mfa_shared::model::{SendLog, SendScope};

    const NOW: i64 = 100 * 3_600_000;

    fn with_phone(verified: bool, region: Option<&str>) -> Account {
        let mut t = member("t", "identity:default", "acme");
        let mut p = phone("p", "+15125550123", verified);
        p.region = region.map(str::to_owned);
        t.phone = Some(p);
        t
    }

    #[test]
    fn refusals_in_order_then_the_spend() {
        let c = config();
        let hour = || Some(DomainSmsHour::at(NOW));
        let status = |t: &Account, id: &str| {
            decide(t, id, hour(), &c, NOW)
                .map(|_| 202)
                .unwrap_or_else(|e| e.status())
        };
        assert_eq!(status(&with_phone(false, Some("US")), "q"), 404);
        assert_eq!(status(&with_phone(true, Some("US")), "p"), 400);
        assert_eq!(status(&with_phone(false, Some("GB")), "p"), 400);
        assert_eq!(
            status(&with_phone(false, None), "p"),
            202,
            "a phone from before regions"
        );
        let ok = with_phone(false, Some("US"));
        let plan = decide(&ok, "p", hour(), &c, NOW).unwrap();
        assert_eq!(plan.phone.id, "p");
        let spend = plan.spend.unwrap();
        assert_eq!(spend.logs.len(), 2, "the number's log and the user's");
        assert!(spend.domain.is_some());
    }

    #[test]
    fn a_spent_budget_is_429_with_its_wait() {
        let c = config();
        let mut t = with_phone(false, Some("US"));
        t.send_logs = vec![SendLog::new(SendScope::Number("+15125550123")).with_send(NOW - 10_000)];
        let refused = decide(&t, "p", None, &c, NOW).unwrap().spend.unwrap_err();
        assert_eq!(refused.budget(), "number send interval");
        let refused = ApiError::from(refused);
        assert_eq!(refused.status(), 429);
        assert_eq!(refused.to_string(), msg::TOO_MANY_SENDS);
        let full = DomainSmsHour {
            count: c.sms_domain_max_per_hour,
            ..DomainSmsHour::at(NOW)
        };
        let refused = decide(&with_phone(false, Some("US")), "p", Some(full), &c, NOW)
            .unwrap()
            .spend
            .unwrap_err();
        assert_eq!(
            ApiError::from(refused).to_string(),
            msg::TOO_MANY_DOMAIN_SMS
        );
    }
}
