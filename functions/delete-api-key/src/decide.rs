//! The rule of `DELETE …/RAX-KSKEY:apiKeyCredentials`: there must be a key to delete.

use mfa_shared::model::Account;
use mfa_shared::{views, ApiError};

pub fn decide(target: &Account) -> Result<(), ApiError> {
    match target.api_key {
        Some(_) => Ok(()),
        None => Err(views::no_api_key(&target.user.id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::member;

    #[test]
    fn nothing_to_delete_is_404() {
        assert_eq!(
            decide(&member("t", "identity:default", "acme"))
                .unwrap_err()
                .status(),
            404
        );
    }
}
