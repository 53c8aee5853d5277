//! The rules of `POST …/bypass-codes` (BEHAVIOR.md 2.13 and 6, DECISIONS.md "Bypass codes", 21):
//! who may, how many codes, for how long.

use mfa_shared::caller::Caller;
use mfa_shared::config::Config;
use mfa_shared::error::msg;
use mfa_shared::model::{parse_duration_ms, Account};
use mfa_shared::precedence::check_bypass_precedence;
use mfa_shared::ApiError;

/// What the body asked for (both optional).
#[derive(Clone, Debug, Default)]
pub struct Asked {
    pub validity_duration: Option<String>,
    pub number_of_codes: Option<u32>,
}

/// How many codes to make and how long they are valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub count: u32,
    pub validity_ms: i64,
}

/// Order: the duration's syntax (400) → precedence (403) → the target disabled (403) → MFA
/// off (400). Self: 1–`BYPASS_MAX_CODES` codes (default all), `BYPASS_SELF_DEFAULT_SECONDS`;
/// another user: exactly one, `BYPASS_OTHER_DEFAULT_SECONDS`; a requested validity clamped to
/// 1 s – `BYPASS_MAX_VALIDITY_SECONDS`.
pub fn decide(
    caller: &Caller,
    target: &Account,
    asked: &Asked,
    config: &Config,
) -> Result<Plan, ApiError> {
    let requested_ms = match &asked.validity_duration {
        None => None,
        Some(text) => Some(parse_duration_ms(text).ok_or_else(|| ApiError::invalid_value(text))?),
    };
    check_bypass_precedence(&caller.account.user.principal(), &target.user.principal())?;
    if !target.user.enabled {
        return Err(ApiError::UserDisabled(target.user.username.clone()));
    }
    if !target.user.mfa.enabled {
        return Err(ApiError::bad_request(msg::MFA_NEEDED_FOR_DOMAIN));
    }
    let self_service = caller.user_id() == target.user.id;
    let count = match (self_service, asked.number_of_codes) {
        (true, Some(n)) => n.clamp(1, config.bypass_max_codes),
        (true, None) => config.bypass_max_codes,
        (false, _) => 1,
    };
    let validity_ms = match (requested_ms, self_service) {
        (Some(ms), _) => ms.clamp(1_000, config.bypass_max_validity.as_millis() as i64),
        (None, true) => config.bypass_self_default.as_millis() as i64,
        (None, false) => config.bypass_other_default.as_millis() as i64,
    };
    Ok(Plan { count, validity_ms })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{caller, config, member};

    fn mfa_on(mut a: Account) -> Account {
        a.user.mfa.enabled = true;
        a
    }

    fn asked(duration: Option<&str>, count: Option<u32>) -> Asked {
        Asked {
            validity_duration: duration.map(str::to_owned),
            number_of_codes: count,
        }
    }

    #[test]
    fn counts_and_validities_for_oneself_and_for_others() {
        let c = config();
        let own = caller(mfa_on(member("u", "identity:default", "acme")));
        let manager = caller(member("m", "identity:user-manage", "acme"));
        let target = mfa_on(member("t", "identity:default", "acme"));
        let me = own.account.clone();
        let day = 30 * 86_400_000;
        // (caller, target, asked, count, validity ms)
        for (who, whom, a, count, validity) in [
            (&own, &me, asked(None, None), 10, day),
            (&own, &me, asked(None, Some(3)), 3, day),
            (&own, &me, asked(None, Some(0)), 1, day),
            (&own, &me, asked(None, Some(50)), 10, day),
            (&own, &me, asked(Some("PT1H"), None), 10, 3_600_000),
            (&own, &me, asked(Some("PT9H"), None), 10, 10_800_000),
            (&own, &me, asked(Some("PT0S"), None), 10, 1_000),
            (&manager, &target, asked(None, Some(5)), 1, 1_800_000),
            (&manager, &target, asked(Some("PT2H"), None), 1, 7_200_000),
        ] {
            assert_eq!(
                decide(who, whom, &a, &c).unwrap(),
                Plan {
                    count,
                    validity_ms: validity
                },
                "{a:?}"
            );
        }
    }

    #[test]
    fn refusals_in_order() {
        let c = config();
        let peer = caller(member("p", "identity:default", "acme"));
        let manager = caller(member("m", "identity:user-manage", "acme"));
        let target = mfa_on(member("t", "identity:default", "acme"));
        assert_eq!(
            decide(&peer, &target, &asked(Some("soon"), None), &c)
                .unwrap_err()
                .to_string(),
            "Invalid json request body for value 'soon'"
        );
        assert_eq!(
            decide(&peer, &target, &asked(None, None), &c)
                .unwrap_err()
                .status(),
            403
        );
        let mut disabled = target.clone();
        disabled.user.enabled = false;
        assert_eq!(
            decide(&manager, &disabled, &asked(None, None), &c)
                .unwrap_err()
                .fault_name(),
            "userDisabled"
        );
        let off = member("t", "identity:default", "acme");
        assert_eq!(
            decide(&manager, &off, &asked(None, None), &c)
                .unwrap_err()
                .to_string(),
            msg::MFA_NEEDED_FOR_DOMAIN
        );
    }
}
