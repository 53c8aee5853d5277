//! The rules of `PUT /v2.0/RAX-AUTH/domains/{domainId}/multi-factor` (BEHAVIOR.md 1.4 and 2.14,
//! DECISIONS.md 10).

use mfa_shared::error::msg;
use mfa_shared::model::{Domain, EnforcementLevel};
use mfa_shared::ApiError;

/// The level a body names: only OPTIONAL and REQUIRED exist for domains.
pub fn level(named: Option<&str>) -> Result<EnforcementLevel, ApiError> {
    match named {
        None => Err(ApiError::bad_request(msg::MISSING_DOMAIN_LEVEL)),
        Some("OPTIONAL") => Ok(EnforcementLevel::Optional),
        Some("REQUIRED") => Ok(EnforcementLevel::Required),
        Some(other) => Err(ApiError::invalid_value(other)),
    }
}

/// Who may set a domain's level (shared with reading the domain's events).
pub use mfa_shared::caller::authorize_domain as authorize;

/// The level to store, or none when the domain has it already (setting REQUIRED again
/// revokes nothing).
pub fn plan(domain: &Domain, level: EnforcementLevel) -> Option<EnforcementLevel> {
    (domain.enforcement_level != Some(level)).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::caller::Caller;
    use mfa_shared::fixtures::{account, caller, member, user};

    #[test]
    fn only_two_levels_and_one_must_be_named() {
        assert_eq!(level(Some("REQUIRED")).unwrap(), EnforcementLevel::Required);
        assert_eq!(level(Some("OPTIONAL")).unwrap(), EnforcementLevel::Optional);
        assert_eq!(
            level(None).unwrap_err().to_string(),
            msg::MISSING_DOMAIN_LEVEL
        );
        assert_eq!(
            level(Some("DEFAULT")).unwrap_err().to_string(),
            "Invalid json request body for value 'DEFAULT'"
        );
    }

    #[test]
    fn who_may_set_which_domain() {
        let admin = caller(account(user("a", "identity:admin", None)));
        let ua = caller(member("ua", "identity:user-admin", "corpx"));
        let mut ua_mfa = ua.clone_with_mfa();
        let mut ua_optional = caller(member("uo", "identity:user-admin", "corpx"));
        ua_optional.account.user.mfa.enforcement_level = Some(EnforcementLevel::Optional);
        let du = caller(member("du", "identity:default", "corpx"));
        assert!(authorize(&admin, "anything").is_ok());
        assert_eq!(
            authorize(&ua, "corpx").unwrap_err().to_string(),
            msg::MFA_NEEDED_FOR_DOMAIN
        );
        assert!(authorize(&ua_mfa, "corpx").is_ok());
        assert!(authorize(&ua_optional, "corpx").is_ok());
        for other in ["CORPX", "corpx2", "other"] {
            assert_eq!(
                authorize(&ua_mfa, other).unwrap_err().to_string(),
                msg::NOT_AUTHORIZED,
                "{other}"
            );
        }
        assert_eq!(authorize(&du, "corpx").unwrap_err().status(), 403);
        ua_mfa.account.user.roles = vec![];
        assert_eq!(
            authorize(&ua_mfa, "corpx").unwrap_err().status(),
            403,
            "no identity role"
        );
    }

    #[test]
    fn the_same_level_again_writes_nothing() {
        let mut d = Domain {
            id: "d".into(),
            enabled: true,
            enforcement_level: None,
            password_token_epoch: 0,
            api_key_logins: true,
        };
        assert_eq!(
            plan(&d, EnforcementLevel::Required),
            Some(EnforcementLevel::Required)
        );
        d.enforcement_level = Some(EnforcementLevel::Required);
        assert_eq!(plan(&d, EnforcementLevel::Required), None);
        assert_eq!(
            plan(&d, EnforcementLevel::Optional),
            Some(EnforcementLevel::Optional)
        );
    }

    trait WithMfa {
        fn clone_with_mfa(&self) -> Caller;
    }

    impl WithMfa for Caller {
        fn clone_with_mfa(&self) -> Caller {
            let mut c = caller(self.account.clone());
            c.account.user.mfa.enabled = true;
            c
        }
    }
}
