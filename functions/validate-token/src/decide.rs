//! The rules of `GET`/`HEAD /v2.0/tokens/{tokenId}`: who may validate, and `belongsTo`.

use mfa_shared::caller::Caller;
use mfa_shared::model::Tenant;
use mfa_shared::roles::{IdentityRole, Role};
use mfa_shared::ApiError;

/// Administrators and services given `identity:validate-token` validate any token; anyone
/// the token it holds (`its_own`: the path names the caller's `X-Auth-Token`).
pub fn authorize(caller: &Caller, its_own: bool) -> Result<(), ApiError> {
    let validator = caller
        .account
        .user
        .roles
        .iter()
        .filter_map(|r| Role::from_name(r))
        .any(|r| {
            matches!(
                r,
                Role::ValidateToken
                    | Role::Identity(IdentityRole::Admin | IdentityRole::ServiceAdmin)
            )
        });
    if validator || its_own {
        Ok(())
    } else {
        Err(ApiError::not_authorized())
    }
}

/// Whether the token's user has one of the comma-separated tenant ids (any of them will do).
/// `tenants` are its domain's, the default first; none without a domain.
pub fn belongs_to(tenants: &[Tenant], asked: &str) -> bool {
    asked
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .any(|id| tenants.iter().any(|t| t.enabled && t.id == id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{account, caller, member, user};

    #[test]
    fn validators_and_a_tokens_own_holder() {
        let admin = caller(account(user("a", "identity:admin", None)));
        let service = caller(account(user("s", "identity:service-admin", None)));
        let mut validator = caller(member("v", "identity:default", "acme"));
        validator
            .account
            .user
            .roles
            .push("identity:validate-token".into());
        let plain = caller(member("p", "identity:default", "acme"));
        let manager = caller(member("m", "identity:user-admin", "acme"));
        for who in [&admin, &service, &validator] {
            assert!(authorize(who, false).is_ok());
        }
        for who in [&plain, &manager] {
            assert_eq!(authorize(who, false).unwrap_err().status(), 403);
            assert!(authorize(who, true).is_ok(), "its own");
        }
    }

    #[test]
    fn belongs_to_any_enabled_tenant_named() {
        let mut files = Tenant::default_of("acme");
        files.id = "files".into();
        let mut old = Tenant::default_of("acme");
        old.id = "old".into();
        old.enabled = false;
        let tenants = [Tenant::default_of("acme"), files, old];
        for (asked, belongs) in [
            ("acme", true),
            ("files", true),
            ("x, files", true),
            ("old", false),
            ("", false),
            ("other", false),
        ] {
            assert_eq!(belongs_to(&tenants, asked), belongs, "{asked}");
        }
        assert!(!belongs_to(&[], "acme"), "no domain, no tenant");
    }
}
