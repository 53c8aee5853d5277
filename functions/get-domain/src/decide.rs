//! Who may read a domain (API.md SR-2): admins any, everyone else only their own (exactly).

use mfa_shared::caller::Caller;
use mfa_shared::ApiError;

pub fn authorize(caller: &Caller, domain_id: &str) -> Result<(), ApiError> {
    let user = &caller.account.user;
    let admin = user.identity_role().is_some_and(|r| !r.is_domain_based());
    if !admin && user.domain_id.as_deref() != Some(domain_id) {
        return Err(ApiError::not_authorized());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{account, caller, member, user};

    #[test]
    fn admins_any_others_their_own() {
        let admin = caller(account(user("a", "identity:admin", None)));
        let du = caller(member("d", "identity:default", "corpx"));
        assert!(authorize(&admin, "corpx").is_ok());
        assert!(authorize(&du, "corpx").is_ok());
        assert_eq!(authorize(&du, "CORPX").unwrap_err().status(), 403);
        assert_eq!(authorize(&du, "other").unwrap_err().status(), 403);
    }
}
