//! The rules of `POST …/webauthn-devices` (WEBAUTHN.md "Operations" 1; as for OTP devices:
//! the name first, then precedence, then the user's device limit).

use mfa_shared::caller::Caller;
use mfa_shared::config::Config;
use mfa_shared::error::msg;
use mfa_shared::model::{validate_device_name, Account, NameProblem};
use mfa_shared::secrets::random_bytes;
use mfa_shared::webauthn::base64url;
use mfa_shared::ApiError;

/// The device's name (trimmed), or why not.
pub fn decide(
    caller: &Caller,
    target: &Account,
    name: Option<&str>,
    config: &Config,
) -> Result<String, ApiError> {
    let name = validate_device_name(name).map_err(|problem| {
        ApiError::bad_request(match problem {
            NameProblem::Blank => msg::MISSING_WEBAUTHN_NAME,
            NameProblem::TooLong => msg::WEBAUTHN_NAME_TOO_LONG,
            NameProblem::Invisible => msg::CONTROL_CHARACTERS,
        })
    })?;
    caller.authorize(target)?;
    if target.webauthn_devices.len() >= config.webauthn.max_devices as usize {
        return Err(ApiError::bad_request(msg::TOO_MANY_WEBAUTHN));
    }
    Ok(name)
}

/// The user's WebAuthn user handle (base64url): its own, or a new random one for its first
/// registration — never derived from the user id or username (WEBAUTHN.md).
pub fn user_handle(target: &Account) -> String {
    target
        .user
        .webauthn_user_handle
        .clone()
        .unwrap_or_else(|| base64url(&random_bytes(16)))
}

/// The ids of the user's verified credentials: the authenticator need not make a second one.
pub fn exclude(target: &Account) -> Vec<&str> {
    target
        .verified_webauthn_devices()
        .filter_map(|d| d.credential_id.as_deref())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{caller, config, member, webauthn_device};

    #[test]
    fn a_name_first_then_precedence_then_the_limit() {
        let c = config();
        let own = caller(member("t", "identity:default", "acme"));
        let stranger = caller(member("s", "identity:default", "acme"));
        let target = own.account.clone();
        assert_eq!(
            decide(&own, &target, Some(" YubiKey 5C "), &c).unwrap(),
            "YubiKey 5C"
        );
        // (caller, name, status, message)
        for (who, name, status, message) in [
            (&stranger, Some(" "), 400, msg::MISSING_WEBAUTHN_NAME),
            (&stranger, None, 400, msg::MISSING_WEBAUTHN_NAME),
            (&own, Some("a\u{7}b"), 400, msg::CONTROL_CHARACTERS),
            (
                &own,
                Some(&*"k".repeat(65)),
                400,
                msg::WEBAUTHN_NAME_TOO_LONG,
            ),
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
        full.webauthn_devices = (0..c.webauthn.max_devices)
            .map(|i| webauthn_device(&i.to_string(), i % 2 == 0))
            .collect();
        assert_eq!(
            decide(&own, &full, Some("the 11th"), &c)
                .unwrap_err()
                .to_string(),
            msg::TOO_MANY_WEBAUTHN
        );
    }

    #[test]
    fn one_random_handle_per_user_and_only_verified_credentials_excluded() {
        let mut t = member("t", "identity:default", "acme");
        let first = user_handle(&t);
        assert_eq!(first.len(), 22, "16 random bytes");
        assert_ne!(user_handle(&t), first, "random until one is stored");
        assert!(!first.contains("t-name") && first != "t");
        t.user.webauthn_user_handle = Some(first.clone());
        assert_eq!(user_handle(&t), first);
        t.webauthn_devices = vec![webauthn_device("v", true), webauthn_device("u", false)];
        assert_eq!(exclude(&t), ["v-credential"]);
    }
}
