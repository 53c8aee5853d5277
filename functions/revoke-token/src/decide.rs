//! The rules of `DELETE /v2.0/tokens[/{tokenId}]`: one's own token, or (admins) any.

use mfa_shared::caller::Caller;
use mfa_shared::roles::IdentityRole;
use mfa_shared::ApiError;

/// Which token goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// The caller's own (`DELETE /v2.0/tokens`, or its own id named).
    Own(&'a str),
    /// Another token: an admin's revocation, if the token is live.
    Other(&'a str),
}

pub fn decide<'a>(
    caller: &Caller,
    own: &'a str,
    named: Option<&'a str>,
) -> Result<Target<'a>, ApiError> {
    match named {
        None => Ok(Target::Own(own)),
        Some(id) if id == own => Ok(Target::Own(own)),
        Some(id) => {
            let admin = matches!(
                caller.account.user.identity_role(),
                Some(IdentityRole::Admin | IdentityRole::ServiceAdmin)
            );
            if admin {
                Ok(Target::Other(id))
            } else {
                Err(ApiError::not_authorized())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{account, caller, member, user};

    #[test]
    fn ones_own_or_as_an_admin() {
        let du = caller(member("d", "identity:default", "acme"));
        let ua = caller(member("u", "identity:user-admin", "acme"));
        let admin = caller(account(user("a", "identity:admin", None)));
        assert_eq!(decide(&du, "mine", None).unwrap(), Target::Own("mine"));
        assert_eq!(
            decide(&du, "mine", Some("mine")).unwrap(),
            Target::Own("mine")
        );
        assert_eq!(
            decide(&du, "mine", Some("other")).unwrap_err().status(),
            403
        );
        assert_eq!(
            decide(&ua, "mine", Some("other")).unwrap_err().status(),
            403
        );
        assert_eq!(
            decide(&admin, "mine", Some("other")).unwrap(),
            Target::Other("other")
        );
    }
}
