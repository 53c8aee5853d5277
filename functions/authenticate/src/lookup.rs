//! Finding the account a first factor (a password or an API key) names: the same reads for a
//! known and an unknown username, so that timing tells nothing.

use mfa_shared::model::{Account, Domain, MAX_USERNAME_BYTES};
use mfa_shared::{ApiError, Services};

/// A partition no user has, read for an unknown username (user ids are hex); also the name
/// looked up for one longer than any username (DynamoDB could not even key it).
pub const NO_USER: &str = "unknown-user";

/// The account of `username`, if there is one: always one GetItem (the username) and one
/// Query (a partition).
pub async fn find_account(
    services: &Services,
    username: &str,
) -> Result<Option<Account>, ApiError> {
    let username = Some(username.trim()).filter(|u| u.len() <= MAX_USERNAME_BYTES);
    let user_id = services
        .store
        .find_user_id(username.unwrap_or(NO_USER))
        .await?
        .filter(|_| username.is_some());
    Ok(services
        .store
        .load_account(user_id.as_deref().unwrap_or(NO_USER))
        .await?
        .filter(|_| user_id.is_some()))
}

/// The account's domain, read whenever it has one: its level decides a password login, its
/// API-key setting an API-key login, and its epoch goes on the token.
pub async fn domain_of(services: &Services, account: &Account) -> Result<Option<Domain>, ApiError> {
    match &account.user.domain_id {
        Some(id) => Ok(services.store.get_domain(id).await?),
        None => Ok(None),
    }
}
