//! Finding the account a first factor (a password or an API key) names: the same reads for a
//! known and an unknown username, so that timing tells nothing.

use mfa_shared::model::{Account, Domain, LoginFailures, MAX_USERNAME_BYTES};
use mfa_shared::{ApiError, Services};

/// A partition no user has, read for an unknown username (user ids are hex).
pub const NO_USER: &str = "unknown-user";

/// The name looked up, and whose failures are counted, for a username longer than any can be
/// (DynamoDB could not even key it): no username can be this (control characters are refused).
const TOO_LONG: &str = "\u{0}too-long";

/// What a username names: its account, if there is one, and its failed attempts.
pub struct Named {
    pub account: Option<Account>,
    /// The username as looked up (`TOO_LONG` for one too long to be any).
    pub key: String,
    pub failures: Option<LoginFailures>,
}

/// The account of `username`, if there is one: always two Queries (the username's partition,
/// then a user's).
pub async fn find_account(services: &Services, username: &str) -> Result<Named, ApiError> {
    let username = Some(username.trim()).filter(|u| u.len() <= MAX_USERNAME_BYTES);
    let key = username.unwrap_or(TOO_LONG);
    let login = services.store.find_login(key).await?;
    let user_id = login.user_id.filter(|_| username.is_some());
    let account = services
        .store
        .load_account(user_id.as_deref().unwrap_or(NO_USER))
        .await?
        .filter(|_| user_id.is_some());
    Ok(Named {
        account,
        key: key.to_owned(),
        failures: login.failures,
    })
}

/// The account's domain, read whenever it has one: its level decides a password login, its
/// API-key setting an API-key login, and its epoch goes on the token.
pub async fn domain_of(services: &Services, account: &Account) -> Result<Option<Domain>, ApiError> {
    match &account.user.domain_id {
        Some(id) => Ok(services.store.get_domain(id).await?),
        None => Ok(None),
    }
}
