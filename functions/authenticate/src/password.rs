//! The password step (BEHAVIOR.md 7.1, 7.6, 7.7): the password checked against the account
//! found with the same reads for any username, then `decide::after_password`, then a
//! challenge or a token written on the condition that account and domain are as read.

use crate::attempts::{self, Credential};
use crate::decide::{self, FirstFactor};
use crate::issue::{issue_first_factor_token, Grant};
use crate::{challenge, lookup, tenant, Asked};
use mfa_shared::commit::{self, Attempt, Budget};
use mfa_shared::error::msg;
use mfa_shared::events::Trail;
use mfa_shared::model::{now_ms, Account, AuthMethod, SETUP_MFA_SCOPE};
use mfa_shared::secrets::verify_password_or_dummy;
use mfa_shared::{ApiError, Body, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordCredentials {
    username: String,
    password: String,
}

pub async fn step(
    services: &Services,
    trail: &Trail,
    c: PasswordCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    if c.username.trim().is_empty() || c.password.is_empty() || !scope_is_known(&asked) {
        return Err(ApiError::bad_request(msg::BAD_AUTH_BODY));
    }
    let account = check_password(services, trail, &c).await?;
    let asked = &asked;
    commit::on_account(services, Budget::Login, account, |account| async move {
        let domain = lookup::domain_of(services, &account).await?;
        let lockout = services.config.lockout();
        let setup = asked.scope.is_some();
        let decided = decide::after_password(&account, domain.as_ref(), setup, &lockout, now_ms());
        let first_factor = match decided {
            Ok(first_factor) => first_factor,
            Err(refusal) => {
                let user = &account.user;
                return Err(Credential::Password
                    .refused(services, trail, user, refusal)
                    .await);
            }
        };
        match first_factor {
            FirstFactor::Challenge(_) => {
                let first = Credential::Password.event(trail, &account.user);
                Err(challenge::challenge(services, trail, account, first).await)
            }
            FirstFactor::Token { scope } => {
                let tenant = tenant::scope(services, &account.user, asked.tenant.as_ref()).await?;
                let grant = Grant {
                    methods: vec![AuthMethod::Password],
                    scope,
                    tenant,
                };
                let first = Credential::Password.event(trail, &account.user);
                let issued = issue_first_factor_token(
                    services,
                    &account.user,
                    domain.as_ref(),
                    grant,
                    first,
                );
                Ok(issued.await?.map_or(Attempt::Changed, Attempt::Done))
            }
        }
    })
    .await
}

/// Only `SETUP-MFA` is a scope (anything else: the parse message, DECISIONS.md 12).
pub fn scope_is_known(asked: &Asked) -> bool {
    asked.scope.as_deref().is_none_or(|s| s == SETUP_MFA_SCOPE)
}

/// The account whose password this is, or 401 (the same answer, reads and time for an
/// unknown user), or 429 once the username's attempt limit is reached.
async fn check_password(
    services: &Services,
    trail: &Trail,
    c: &PasswordCredentials,
) -> Result<Account, ApiError> {
    attempts::check(
        services,
        trail,
        Credential::Password,
        &c.username,
        |account| {
            let stored = account.map(|a| a.user.password_hash.as_str());
            verify_password_or_dummy(&c.password, stored)
        },
    )
    .await
}
