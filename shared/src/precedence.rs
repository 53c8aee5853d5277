//! May a caller act on a target user? BEHAVIOR.md 1.3, as a pure function.

use crate::roles::IdentityRole;

/// What precedence needs to know about a user.
#[derive(Clone, Copy, Debug)]
pub struct Principal<'a> {
    pub id: &'a str,
    /// Identity type; `None` for a user without an identity role.
    pub role: Option<IdentityRole>,
    pub domain_id: Option<&'a str>,
    pub enabled: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Denial {
    /// A disabled caller acts on nobody (its tokens are revoked; this is defence in depth).
    CallerDisabled,
    /// 403 `Not Authorized`.
    NotAuthorized,
}

pub fn check_precedence(caller: &Principal, target: &Principal) -> Result<(), Denial> {
    if !caller.enabled {
        return Err(Denial::CallerDisabled);
    }
    if caller.id == target.id {
        return Ok(());
    }
    let caller_role = caller.role.ok_or(Denial::NotAuthorized)?;
    // DECISIONS.md 11: a target without an identity role counts as identity:default.
    let target_role = target.role.unwrap_or(IdentityRole::Default);
    let peers_of_user_manage =
        caller_role == IdentityRole::UserManage && target_role == IdentityRole::UserManage;
    if !peers_of_user_manage && caller_role.weight() >= target_role.weight() {
        return Err(Denial::NotAuthorized);
    }
    if caller_role.is_domain_based() {
        match (caller.domain_id, target.domain_id) {
            (Some(c), Some(t)) if c == t => {}
            _ => return Err(Denial::NotAuthorized),
        }
    }
    Ok(())
}

/// May the caller change the target's `userMultiFactorEnforcementLevel`? BEHAVIOR.md 1.4: its
/// own matrix instead of `check_precedence`.
pub fn check_level_precedence(caller: &Principal, target: &Principal) -> Result<(), Denial> {
    if !caller.enabled {
        return Err(Denial::CallerDisabled);
    }
    let caller_role = caller.role.ok_or(Denial::NotAuthorized)?;
    let target_role = target.role.unwrap_or(IdentityRole::Default);
    let allowed = match caller_role {
        IdentityRole::Default => false,
        _ if caller.id == target.id => matches!(
            caller_role,
            IdentityRole::UserAdmin | IdentityRole::UserManage
        ),
        IdentityRole::ServiceAdmin | IdentityRole::Admin => {
            caller_role.weight() < target_role.weight()
        }
        IdentityRole::UserAdmin => {
            caller_role.weight() <= target_role.weight() && same_domain(caller, target)
        }
        IdentityRole::UserManage => {
            (caller_role.weight() <= target_role.weight() || target_role == IdentityRole::UserAdmin)
                && same_domain(caller, target)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denial::NotAuthorized)
    }
}

/// May the caller generate bypass codes for the target? (BEHAVIOR.md 2.13) Anyone for
/// itself; for another user, a user-manager or more with precedence over it.
pub fn check_bypass_precedence(caller: &Principal, target: &Principal) -> Result<(), Denial> {
    if caller.id == target.id {
        return if caller.enabled {
            Ok(())
        } else {
            Err(Denial::CallerDisabled)
        };
    }
    let manager_or_above = caller
        .role
        .is_some_and(|r| r.weight() <= IdentityRole::UserManage.weight());
    if !manager_or_above {
        return Err(Denial::NotAuthorized);
    }
    check_precedence(caller, target)
}

fn same_domain(caller: &Principal, target: &Principal) -> bool {
    matches!((caller.domain_id, target.domain_id), (Some(c), Some(t)) if c == t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentityRole::*;

    fn user(
        id: &'static str,
        role: IdentityRole,
        domain: Option<&'static str>,
    ) -> Principal<'static> {
        Principal {
            id,
            role: Some(role),
            domain_id: domain,
            enabled: true,
        }
    }

    /// Domain of a user of this role in the table: admins have none, others live in d1 or d2.
    fn domain(role: IdentityRole, other_domain: bool) -> Option<&'static str> {
        match (role.is_domain_based(), other_domain) {
            (false, _) => None,
            (true, false) => Some("d1"),
            (true, true) => Some("d2"),
        }
    }

    /// BEHAVIOR.md 1.3 consequences table. "d" = allowed only within the same domain.
    const MATRIX: [(IdentityRole, [&str; 5]); 5] = [
        //               SA     IA     UA     UM     DU
        (ServiceAdmin, ["no", "yes", "yes", "yes", "yes"]),
        (Admin, ["no", "no", "yes", "yes", "yes"]),
        (UserAdmin, ["no", "no", "no", "d", "d"]),
        (UserManage, ["no", "no", "no", "d", "d"]),
        (Default, ["no", "no", "no", "no", "no"]),
    ];

    #[test]
    fn every_pair_of_roles_in_the_same_and_in_another_domain() {
        for (caller_role, row) in MATRIX {
            for (target_role, expected) in IdentityRole::ALL.into_iter().zip(row) {
                for other_domain in [false, true] {
                    let caller = user("caller", caller_role, domain(caller_role, false));
                    let target = user("target", target_role, domain(target_role, other_domain));
                    let allowed = check_precedence(&caller, &target).is_ok();
                    let want = match expected {
                        "yes" => true,
                        "d" => !other_domain,
                        _ => false,
                    };
                    assert_eq!(
                        allowed, want,
                        "{caller_role:?} on {target_role:?} (other domain: {other_domain})"
                    );
                }
            }
        }
    }

    #[test]
    fn self_is_always_allowed_for_every_role() {
        for role in IdentityRole::ALL {
            let me = user("me", role, domain(role, false));
            assert_eq!(check_precedence(&me, &me), Ok(()), "{role:?}");
        }
    }

    #[test]
    fn a_disabled_caller_is_refused_even_on_itself() {
        for role in IdentityRole::ALL {
            let mut me = user("me", role, domain(role, false));
            me.enabled = false;
            assert_eq!(check_precedence(&me, &me), Err(Denial::CallerDisabled));
            let target = user("t", Default, Some("d1"));
            assert_eq!(check_precedence(&me, &target), Err(Denial::CallerDisabled));
        }
    }

    #[test]
    fn a_disabled_target_does_not_change_the_answer() {
        for (caller_role, row) in MATRIX {
            for (target_role, expected) in IdentityRole::ALL.into_iter().zip(row) {
                let caller = user("caller", caller_role, domain(caller_role, false));
                let mut target = user("target", target_role, domain(target_role, false));
                target.enabled = false;
                assert_eq!(check_precedence(&caller, &target).is_ok(), expected != "no");
            }
        }
    }

    #[test]
    fn domain_based_callers_without_a_domain_or_on_domainless_targets_are_refused() {
        let ua_without_domain = user("c", UserAdmin, None);
        assert_eq!(
            check_precedence(&ua_without_domain, &user("t", Default, None)),
            Err(Denial::NotAuthorized)
        );
        assert_eq!(
            check_precedence(&user("c", UserAdmin, Some("d1")), &user("t", Default, None)),
            Err(Denial::NotAuthorized)
        );
    }

    #[test]
    fn a_target_without_identity_role_counts_as_default() {
        let target = Principal {
            id: "t",
            role: None,
            domain_id: Some("d1"),
            enabled: true,
        };
        assert!(check_precedence(&user("c", UserManage, Some("d1")), &target).is_ok());
        assert_eq!(
            check_precedence(&user("c", Default, Some("d1")), &target),
            Err(Denial::NotAuthorized)
        );
    }

    #[test]
    fn a_caller_without_identity_role_acts_only_on_itself() {
        let caller = Principal {
            id: "c",
            role: None,
            domain_id: Some("d1"),
            enabled: true,
        };
        assert_eq!(
            check_precedence(&caller, &user("t", Default, Some("d1"))),
            Err(Denial::NotAuthorized)
        );
        assert!(check_precedence(&caller, &caller).is_ok());
    }

    /// BEHAVIOR.md 1.4 (user enforcement level), 10 #110. "d" = same domain only.
    const LEVEL_MATRIX: [(IdentityRole, [&str; 5]); 5] = [
        //               SA     IA     UA     UM     DU
        (ServiceAdmin, ["no", "yes", "yes", "yes", "yes"]),
        (Admin, ["no", "no", "yes", "yes", "yes"]),
        (UserAdmin, ["no", "no", "d", "d", "d"]),
        (UserManage, ["no", "no", "d", "d", "d"]),
        (Default, ["no", "no", "no", "no", "no"]),
    ];

    #[test]
    fn the_enforcement_level_matrix_for_every_pair_and_domain() {
        for (caller_role, row) in LEVEL_MATRIX {
            for (target_role, expected) in IdentityRole::ALL.into_iter().zip(row) {
                for other_domain in [false, true] {
                    let caller = user("caller", caller_role, domain(caller_role, false));
                    let target = user("target", target_role, domain(target_role, other_domain));
                    let want = match expected {
                        "yes" => true,
                        "d" => !other_domain,
                        _ => false,
                    };
                    assert_eq!(
                        check_level_precedence(&caller, &target).is_ok(),
                        want,
                        "{caller_role:?} on {target_role:?} (other domain: {other_domain})"
                    );
                }
            }
        }
    }

    #[test]
    fn on_itself_only_user_admins_and_user_managers_may_change_the_level() {
        for (role, allowed) in [
            (ServiceAdmin, false),
            (Admin, false),
            (UserAdmin, true),
            (UserManage, true),
            (Default, false),
        ] {
            let me = user("me", role, domain(role, false));
            assert_eq!(
                check_level_precedence(&me, &me).is_ok(),
                allowed,
                "{role:?}"
            );
        }
    }

    #[test]
    fn bypass_codes_for_oneself_or_as_a_manager_with_precedence() {
        let du = user("du", Default, Some("d1"));
        let other = user("o", Default, Some("d1"));
        let um = user("um", UserManage, Some("d1"));
        let ua2 = user("ua2", UserAdmin, Some("d2"));
        assert_eq!(check_bypass_precedence(&du, &du), Ok(()));
        assert_eq!(
            check_bypass_precedence(&du, &other),
            Err(Denial::NotAuthorized)
        );
        assert_eq!(check_bypass_precedence(&um, &other), Ok(()));
        assert_eq!(
            check_bypass_precedence(&ua2, &other),
            Err(Denial::NotAuthorized)
        );
        let disabled = Principal {
            enabled: false,
            ..du
        };
        assert_eq!(
            check_bypass_precedence(&disabled, &disabled),
            Err(Denial::CallerDisabled)
        );
    }
}
