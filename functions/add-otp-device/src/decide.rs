//! The rules of `POST …/otp-devices` (BEHAVIOR.md 2.8, DECISIONS.md "OTP devices", 22).

use mfa_shared::caller::Caller;
use mfa_shared::config::Config;
use mfa_shared::error::msg;
use mfa_shared::model::{validate_device_name, Account, NameProblem};
use mfa_shared::ApiError;

/// The device's name (trimmed), or why not: the name is checked before precedence
/// (BEHAVIOR.md 2.8), then the user's device limit.
pub fn decide(
    caller: &Caller,
    target: &Account,
    name: Option<&str>,
    config: &Config,
) -> Result<String, ApiError> {
    let name = validate_device_name(name).map_err(|problem| {
        ApiError::bad_request(match problem {
            NameProblem::Blank => msg::MISSING_OTP_NAME,
            NameProblem::TooLong => msg::OTP_NAME_TOO_LONG,
            NameProblem::Invisible => msg::CONTROL_CHARACTERS,
        })
    })?;
    caller.authorize(target)?;
    if target.otp_devices.len() >= config.otp_max_devices as usize {
        return Err(too_many());
    }
    Ok(name)
}

/// Also the answer when a concurrent create took the last place.
pub fn too_many() -> ApiError {
    ApiError::bad_request(msg::TOO_MANY_DEVICES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{caller, config, member, otp_device};

    #[test]
    fn a_name_first_then_precedence_then_the_limit() {
        let c = config();
        let own = caller(member("t", "identity:default", "acme"));
        let stranger = caller(member("s", "identity:default", "acme"));
        let target = own.account.clone();
        assert_eq!(
            decide(&own, &target, Some("  My phone "), &c).unwrap(),
            "My phone"
        );
        // (caller, name, status, message)
        for (who, name, status, message) in [
            (&stranger, Some(""), 400, msg::MISSING_OTP_NAME),
            (&stranger, None, 400, msg::MISSING_OTP_NAME),
            (&own, Some("x\u{202E}y"), 400, msg::CONTROL_CHARACTERS),
            (&own, Some(&*"x".repeat(65)), 400, msg::OTP_NAME_TOO_LONG),
            (&stranger, Some("ok"), 403, msg::NOT_AUTHORIZED),
        ] {
            let refused = decide(who, &target, name, &c).unwrap_err();
            assert_eq!(
                (refused.status(), refused.to_string()),
                (status, message.to_owned()),
                "{name:?}"
            );
        }
        let mut full = target.clone();
        full.otp_devices = (0..c.otp_max_devices)
            .map(|i| otp_device(&i.to_string(), false))
            .collect();
        assert_eq!(
            decide(&own, &full, Some("one more"), &c)
                .unwrap_err()
                .to_string(),
            msg::TOO_MANY_DEVICES
        );
    }
}
