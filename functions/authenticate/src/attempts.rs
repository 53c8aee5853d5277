//! The password attempt limit around a first factor, password or API key (issue 20; NIST SP
//! 800-63B rev 4 §3.2.2): per username, known or not, every attempt is counted as a failure
//! before its credential is checked, and any success clears the count (the failures counted
//! are consecutive ones). Once a window holds the limit, the rest of the window is 429
//! `overLimit` with `Retry-After`, before any password hash is spent. Counting first is what
//! bounds parallel guesses: each count is an increment conditioned on the count being under the
//! limit, so however many attempts arrive at once, no more than the limit are ever checked; and
//! increments of one window do not conflict with one another, so a burst of logins by the user
//! itself goes through.

use crate::lookup;
use mfa_shared::commit::{self, Budget};
use mfa_shared::error::msg;
use mfa_shared::events::{EventType, Factor, SecurityEvent, Trail};
use mfa_shared::model::{now_ms, Account, LoginFailures, NextFailure, PasswordLimit, User};
use mfa_shared::{ApiError, Services};

/// A first factor.
#[derive(Clone, Copy, Debug)]
pub enum Credential {
    Password,
    ApiKey,
}

impl Credential {
    /// Its login's event about `user`: a success (`.failed(…)` makes it a refusal).
    pub fn event(self, trail: &Trail, user: &User) -> SecurityEvent {
        let (kind, factor) = match self {
            Self::Password => (EventType::LoginPassword, Factor::Password),
            Self::ApiKey => (EventType::LoginApiKey, Factor::ApiKey),
        };
        trail.event(kind, user).with_factor(factor)
    }

    /// A correct credential refused all the same (a disabled or locked user, MFA to set up
    /// first, a scope refused, API-key logins off): the refusal, once its login event (a
    /// failure saying why) is recorded.
    pub async fn refused(
        self,
        services: &Services,
        trail: &Trail,
        user: &User,
        refusal: ApiError,
    ) -> ApiError {
        let event = self.event(trail, user).failed(why(&refusal));
        recorded(services, event, refusal).await
    }
}

/// A refusal as an event's `reason`: its message, which is fixed text, but for a disabled
/// user's (it names the user, whom the event names already).
pub fn why(refusal: &ApiError) -> String {
    match refusal {
        ApiError::UserDisabled(_) => "user disabled".to_owned(),
        other => other.to_string(),
    }
}

/// `refusal`, once `event` is recorded (or the store's fault, if it could not be).
pub async fn recorded(services: &Services, event: SecurityEvent, refusal: ApiError) -> ApiError {
    match services.store.record_events(&[event]).await {
        Ok(()) => refusal,
        Err(e) => e.into(),
    }
}

/// The account `username` names if `verify` accepts the credential for it (called with `None`
/// for an unknown username, so that it does the same work); else 401 (a known user's refusal
/// recorded as its event), or 429 over the limit (not recorded: nothing was checked, and
/// anyone could write events without bound).
pub async fn check(
    services: &Services,
    trail: &Trail,
    credential: Credential,
    username: &str,
    verify: impl FnOnce(Option<&Account>) -> bool,
) -> Result<Account, ApiError> {
    let named = lookup::find_account(services, username).await?;
    let limit = services.config.password_limit();
    count_attempt(services, &named.key, named.failures, &limit).await?;
    let verified = verify(named.account.as_ref());
    match named.account {
        Some(account) if verified => {
            services.store.clear_login_failures(&named.key).await?;
            Ok(account)
        }
        known => {
            let refused = known.map(|a| credential.event(trail, &a.user).failed("bad credentials"));
            services
                .store
                .record_login_failure(&named.key, refused.as_ref())
                .await?;
            tracing::info!("first factor refused: bad credentials");
            Err(ApiError::Unauthorized(msg::BAD_CREDENTIALS.to_owned()))
        }
    }
}

/// Counts this attempt on the record as it is at write time, or refuses it (429) when the
/// window already holds the limit.
async fn count_attempt(
    services: &Services,
    key: &str,
    seen: Option<LoginFailures>,
    limit: &PasswordLimit,
) -> Result<(), ApiError> {
    let record = |seen: Option<LoginFailures>| async move {
        let now = now_ms();
        if let Some(retry_after_secs) = limit.refused_for(seen.as_ref(), now) {
            tracing::info!(
                retry_after_secs,
                "first factor refused: the attempt limit is reached"
            );
            return Err(ApiError::OverLimit {
                message: msg::TOO_MANY_FAILED_LOGINS.to_owned(),
                retry_after_secs,
            });
        }
        let store = &services.store;
        let write = match limit.next_failure(seen.as_ref(), now) {
            NextFailure::Add { window_start } => {
                store.add_login_failure(key, window_start, limit).await
            }
            NextFailure::Start(first) => {
                store
                    .start_login_failures(key, seen.as_ref(), &first, limit)
                    .await
            }
        };
        commit::attempt(write)
    };
    let reload = || async { Ok(services.store.find_login(key).await?.failures) };
    commit::until_settled(Budget::FailureCount, seen, record, reload).await
}
