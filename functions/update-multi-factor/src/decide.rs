//! The rules of `PUT …/multi-factor` (BEHAVIOR.md 2.12, 1.4; DECISIONS.md 17, 19, 27), without
//! I/O: who may ask, which one change a request is, and what it takes on the target as read.

use mfa_shared::caller::Caller;
use mfa_shared::error::msg;
use mfa_shared::model::{Account, EnforcementLevel, FactorType};
use mfa_shared::precedence::check_level_precedence;
use mfa_shared::ApiError;

/// What the request body says, its enum values read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    pub enabled: Option<bool>,
    pub unlock: Option<bool>,
    pub factor: Option<FactorType>,
    pub level: Option<EnforcementLevel>,
}

/// The one kind of change a request is (BEHAVIOR.md 2.12: one per request).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MfaChange {
    /// Turn MFA on (with this factor, or the one the verified devices allow).
    Enable(Option<FactorType>),
    /// Switch the factor while MFA is on.
    SwitchFactor(FactorType),
    Disable,
    Unlock,
    SetLevel(EnforcementLevel),
    /// `unlock: false`, or an empty body: nothing to do (DECISIONS.md 27).
    Nothing,
}

/// What to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    Nothing,
    Enable {
        factor: FactorType,
        device_id: String,
    },
    Disable,
    Unlock,
    SetLevel(EnforcementLevel),
}

/// Who may make the change: precedence for everything but a level-only change, which has its
/// own matrix; nobody unlocks itself; a SETUP-MFA token never sets a level. Checked before any
/// 400 (DECISIONS.md 17).
pub fn authorize(caller: &Caller, target: &Account, asked: &Asked) -> Result<(), ApiError> {
    let only_level = asked.level.is_some()
        && asked.enabled.is_none()
        && asked.unlock.is_none()
        && asked.factor.is_none();
    if !only_level {
        caller.authorize(target)?;
    }
    if asked.unlock == Some(true) && caller.user_id() == target.user.id {
        return Err(ApiError::Forbidden(msg::SELF_UNLOCK.to_owned()));
    }
    if asked.level.is_some() {
        // DECISIONS.md 19: the scope answers first.
        if caller.token.is_setup_mfa() {
            return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()));
        }
        check_level_precedence(&caller.account.user.principal(), &target.user.principal())?;
    }
    Ok(())
}

/// The change a request asks for, or the original's 400 for a mix (in its order).
pub fn change(asked: &Asked, target: &Account) -> Result<MfaChange, ApiError> {
    let others_than_enabled =
        asked.factor.is_some() || asked.unlock.is_some() || asked.level.is_some();
    match (asked.enabled, asked.factor) {
        (Some(false), _) if others_than_enabled => {
            Err(ApiError::bad_request(msg::OTHER_WHILE_DISABLING))
        }
        (Some(false), _) => Ok(MfaChange::Disable),
        (None, Some(_)) if !target.user.mfa.enabled => {
            Err(ApiError::bad_request(msg::FACTOR_NEEDS_MFA))
        }
        (Some(true), _) | (None, Some(_)) if asked.unlock.is_some() || asked.level.is_some() => {
            Err(ApiError::bad_request(msg::OTHER_WHILE_SETTING))
        }
        (Some(true), factor) => Ok(MfaChange::Enable(factor)),
        (None, Some(factor)) => Ok(MfaChange::SwitchFactor(factor)),
        (None, None) => match (asked.unlock, asked.level) {
            (Some(true), Some(_)) => Err(ApiError::bad_request(msg::OTHER_WHILE_UNLOCKING)),
            (Some(true), None) => Ok(MfaChange::Unlock),
            (Some(false), Some(_)) => Err(ApiError::bad_request(msg::OTHER_WHILE_LEVEL)),
            (None, Some(level)) => Ok(MfaChange::SetLevel(level)),
            (Some(false), None) | (None, None) => Ok(MfaChange::Nothing),
        },
    }
}

/// What the change takes on the target as read (no-ops write nothing).
pub fn plan(change: MfaChange, target: &Account) -> Result<Plan, ApiError> {
    let mfa = &target.user.mfa;
    Ok(match change {
        MfaChange::Nothing => Plan::Nothing,
        MfaChange::Enable(_) | MfaChange::SwitchFactor(_)
            if mfa.enabled
                && requested_factor(change).is_none_or(|f| f == target.user.factor()) =>
        {
            Plan::Nothing
        }
        MfaChange::Enable(requested) => enable(target, requested)?,
        MfaChange::SwitchFactor(factor) => enable(target, Some(factor))?,
        MfaChange::Disable if !mfa.enabled => Plan::Nothing,
        MfaChange::Disable => Plan::Disable,
        MfaChange::Unlock => Plan::Unlock,
        MfaChange::SetLevel(level) if mfa.enforcement_level == Some(level) => Plan::Nothing,
        MfaChange::SetLevel(level) => Plan::SetLevel(level),
    })
}

fn requested_factor(change: MfaChange) -> Option<FactorType> {
    match change {
        MfaChange::Enable(factor) => factor,
        MfaChange::SwitchFactor(factor) => Some(factor),
        _ => None,
    }
}

/// The factor to use and the verified device that allows it (BEHAVIOR.md 2.12 branch A;
/// WebAuthn devices count as devices, WEBAUTHN.md "Factor").
fn enable(target: &Account, requested: Option<FactorType>) -> Result<Plan, ApiError> {
    // Each factor with a verified device, and its first one.
    let mut usable = FactorType::ALL.into_iter().filter_map(|factor| {
        let first = target
            .verified_device_ids(factor)
            .first()
            .map(|id| id.to_string());
        first.map(|id| (factor, id))
    });
    let (factor, device_id) = match requested {
        Some(factor) => usable
            .find(|(f, _)| *f == factor)
            .ok_or_else(|| ApiError::bad_request(no_verified_device(factor)))?,
        None => match (usable.next(), usable.next()) {
            (Some(only), None) => only,
            (Some(_), Some(_)) => return Err(ApiError::bad_request(msg::SPECIFY_FACTOR)),
            (None, _) if !has_devices(target) => return Err(ApiError::bad_request(msg::NO_DEVICE)),
            (None, _) => return Err(ApiError::bad_request(msg::DEVICE_NOT_VERIFIED)),
        },
    };
    Ok(Plan::Enable { factor, device_id })
}

fn has_devices(target: &Account) -> bool {
    target.phone.is_some() || !target.otp_devices.is_empty() || !target.webauthn_devices.is_empty()
}

fn no_verified_device(factor: FactorType) -> &'static str {
    match factor {
        FactorType::Sms => msg::NO_VERIFIED_PHONE,
        FactorType::Otp => msg::NO_VERIFIED_OTP,
        FactorType::WebAuthn => msg::NO_VERIFIED_WEBAUTHN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{caller, member, otp_device, phone, webauthn_device};

    const D: &str = "acme";

    fn asked(
        enabled: Option<bool>,
        unlock: Option<bool>,
        factor: Option<FactorType>,
        level: Option<EnforcementLevel>,
    ) -> Asked {
        Asked {
            enabled,
            unlock,
            factor,
            level,
        }
    }

    fn with_devices(mut a: Account, verified_phone: bool, verified_otp: bool) -> Account {
        a.phone = Some(phone("p", "+15125550123", verified_phone));
        a.otp_devices = vec![otp_device("o", verified_otp)];
        a
    }

    fn message(e: ApiError) -> String {
        e.to_string()
    }

    #[test]
    fn one_change_per_request_in_the_originals_order() {
        let off = member("t", "identity:default", D);
        let mut on = member("t", "identity:default", D);
        on.user.mfa.enabled = true;
        use EnforcementLevel::*;
        use FactorType::*;
        // (asked, MFA on?, the change or the 400's message)
        let cases: Vec<(Asked, bool, Result<MfaChange, &str>)> = vec![
            (
                asked(Some(true), None, None, None),
                false,
                Ok(MfaChange::Enable(None)),
            ),
            (
                asked(Some(true), None, Some(Otp), None),
                false,
                Ok(MfaChange::Enable(Some(Otp))),
            ),
            (
                asked(None, None, Some(Sms), None),
                true,
                Ok(MfaChange::SwitchFactor(Sms)),
            ),
            (
                asked(None, None, Some(Sms), None),
                false,
                Err(msg::FACTOR_NEEDS_MFA),
            ),
            (
                asked(Some(false), None, None, None),
                true,
                Ok(MfaChange::Disable),
            ),
            (
                asked(Some(false), None, Some(Sms), None),
                true,
                Err(msg::OTHER_WHILE_DISABLING),
            ),
            (
                asked(Some(false), Some(true), None, None),
                true,
                Err(msg::OTHER_WHILE_DISABLING),
            ),
            (
                asked(Some(false), None, None, Some(Optional)),
                true,
                Err(msg::OTHER_WHILE_DISABLING),
            ),
            (
                asked(Some(true), Some(true), None, None),
                false,
                Err(msg::OTHER_WHILE_SETTING),
            ),
            (
                asked(Some(true), None, None, Some(Required)),
                false,
                Err(msg::OTHER_WHILE_SETTING),
            ),
            (
                asked(None, Some(false), Some(Otp), None),
                true,
                Err(msg::OTHER_WHILE_SETTING),
            ),
            (
                asked(None, Some(true), None, None),
                true,
                Ok(MfaChange::Unlock),
            ),
            (
                asked(None, Some(true), None, Some(Optional)),
                true,
                Err(msg::OTHER_WHILE_UNLOCKING),
            ),
            (
                asked(None, Some(false), None, Some(Optional)),
                true,
                Err(msg::OTHER_WHILE_LEVEL),
            ),
            (
                asked(None, None, None, Some(Default)),
                false,
                Ok(MfaChange::SetLevel(Default)),
            ),
            (
                asked(None, Some(false), None, None),
                true,
                Ok(MfaChange::Nothing),
            ),
            (asked(None, None, None, None), false, Ok(MfaChange::Nothing)),
        ];
        for (a, mfa_on, expected) in cases {
            let target = if mfa_on { &on } else { &off };
            assert_eq!(
                change(&a, target).map_err(message),
                expected.map_err(str::to_owned),
                "{a:?} on={mfa_on}"
            );
        }
    }

    #[test]
    fn enabling_takes_a_verified_device_of_the_factor() {
        use FactorType::*;
        // (verified phone, verified OTP device, requested factor, the plan's factor or the 400)
        let cases = [
            (true, false, None, Ok(Sms)),
            (false, true, None, Ok(Otp)),
            (true, true, None, Err(msg::SPECIFY_FACTOR)),
            (true, true, Some(Otp), Ok(Otp)),
            (true, false, Some(Otp), Err(msg::NO_VERIFIED_OTP)),
            (false, true, Some(Sms), Err(msg::NO_VERIFIED_PHONE)),
            (false, false, None, Err(msg::DEVICE_NOT_VERIFIED)),
        ];
        for (verified_phone, verified_otp, requested, expected) in cases {
            let target = with_devices(
                member("t", "identity:default", D),
                verified_phone,
                verified_otp,
            );
            let got = plan(MfaChange::Enable(requested), &target).map(|p| match p {
                Plan::Enable { factor, .. } => factor,
                other => panic!("{other:?}"),
            });
            assert_eq!(
                got.map_err(message),
                expected.map_err(str::to_owned),
                "{verified_phone} {verified_otp} {requested:?}"
            );
        }
        let bare = member("t", "identity:default", D);
        assert_eq!(
            message(plan(MfaChange::Enable(None), &bare).unwrap_err()),
            msg::NO_DEVICE
        );
    }

    #[test]
    fn a_webauthn_device_counts_as_a_device_of_its_own_kind() {
        use FactorType::*;
        let factor_of = |target: &Account, requested| {
            plan(MfaChange::Enable(requested), target)
                .map(|p| match p {
                    Plan::Enable { factor, device_id } => (factor, device_id),
                    other => panic!("{other:?}"),
                })
                .map_err(message)
        };
        let mut keys_only = member("t", "identity:default", D);
        keys_only.webauthn_devices = vec![webauthn_device("u", false)];
        assert_eq!(
            factor_of(&keys_only, None),
            Err(msg::DEVICE_NOT_VERIFIED.to_owned())
        );
        assert_eq!(
            factor_of(&keys_only, Some(WebAuthn)),
            Err(msg::NO_VERIFIED_WEBAUTHN.to_owned())
        );
        keys_only.webauthn_devices.push(webauthn_device("v", true));
        assert_eq!(
            factor_of(&keys_only, None),
            Ok((WebAuthn, "v".to_owned())),
            "the only kind"
        );
        assert_eq!(
            factor_of(&keys_only, Some(WebAuthn)),
            Ok((WebAuthn, "v".to_owned()))
        );
        let mut two_kinds = with_devices(keys_only.clone(), false, true);
        assert_eq!(
            factor_of(&two_kinds, None),
            Err(msg::SPECIFY_FACTOR.to_owned())
        );
        assert_eq!(factor_of(&two_kinds, Some(Otp)), Ok((Otp, "o".to_owned())));
        two_kinds.user.mfa.enabled = true;
        two_kinds.user.mfa.factor_type = Some(Otp);
        assert_eq!(
            plan(MfaChange::SwitchFactor(WebAuthn), &two_kinds).unwrap(),
            Plan::Enable {
                factor: WebAuthn,
                device_id: "v".into()
            }
        );
    }

    #[test]
    fn changes_that_are_already_true_write_nothing() {
        let mut on = with_devices(member("t", "identity:default", D), true, true);
        on.user.mfa.enabled = true;
        on.user.mfa.factor_type = Some(FactorType::Sms);
        on.user.mfa.enforcement_level = Some(EnforcementLevel::Required);
        assert_eq!(plan(MfaChange::Enable(None), &on).unwrap(), Plan::Nothing);
        assert_eq!(
            plan(MfaChange::SwitchFactor(FactorType::Sms), &on).unwrap(),
            Plan::Nothing
        );
        assert!(matches!(
            plan(MfaChange::SwitchFactor(FactorType::Otp), &on).unwrap(),
            Plan::Enable {
                factor: FactorType::Otp,
                ..
            }
        ));
        assert_eq!(
            plan(MfaChange::SetLevel(EnforcementLevel::Required), &on).unwrap(),
            Plan::Nothing
        );
        let off = member("t", "identity:default", D);
        assert_eq!(plan(MfaChange::Disable, &off).unwrap(), Plan::Nothing);
        assert_eq!(plan(MfaChange::Disable, &on).unwrap(), Plan::Disable);
        assert_eq!(
            plan(MfaChange::Unlock, &off).unwrap(),
            Plan::Unlock,
            "unlock clears the count either way"
        );
    }

    #[test]
    fn who_may_ask_for_what() {
        let admin = caller(member("a", "identity:user-admin", D));
        let peer = caller(member("p", "identity:default", D));
        let target = member("t", "identity:default", D);
        let enable = asked(Some(true), None, None, None);
        let level = asked(None, None, None, Some(EnforcementLevel::Optional));
        let unlock = asked(None, Some(true), None, None);
        assert!(authorize(&admin, &target, &enable).is_ok());
        assert_eq!(
            authorize(&peer, &target, &enable).unwrap_err().status(),
            403
        );
        assert!(authorize(&admin, &target, &level).is_ok());
        assert_eq!(authorize(&peer, &target, &level).unwrap_err().status(), 403);
        assert!(authorize(&admin, &target, &unlock).is_ok());
        let own = admin.account.clone();
        assert_eq!(
            message(authorize(&admin, &own, &unlock).unwrap_err()),
            msg::SELF_UNLOCK
        );
        let mut setup = caller(member("t", "identity:default", D));
        setup.token.scope = Some(mfa_shared::model::SETUP_MFA_SCOPE.to_owned());
        let own = setup.account.clone();
        assert_eq!(
            message(authorize(&setup, &own, &level).unwrap_err()),
            msg::SCOPE_NOT_ALLOWED
        );
        assert!(authorize(&setup, &own, &enable).is_ok());
        let mut disabled = caller(member("a", "identity:user-admin", D));
        disabled.account.user.enabled = false;
        assert_eq!(
            authorize(&disabled, &target, &enable).unwrap_err().status(),
            401
        );
    }
}
