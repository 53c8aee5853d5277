//! Committing a decision. An operation reads, decides (purely: each function's `decide.rs`)
//! and writes the decision as one conditional write or transaction whose conditions say "the
//! state is still what was read". A condition that fails means the world changed between the
//! read and the write: read again and decide again — never blind-retry the write — within a
//! named budget; when the budget is spent, one 503.

use crate::error::ApiError;
use crate::model::Account;
use crate::runtime::Services;
use crate::store::StoreError;
use std::future::Future;

/// How many times an operation decides before giving up, by what it races against. The
/// budgets live here, together, so that they can be weighed against each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// A user's own state changed by another request of the same kind (two adds of a phone,
    /// a delete racing an enable): one conflict is already rare, three in a row is contention
    /// worth a 503.
    Contended,
    /// A login read its account and domain and another request changed one of them (an
    /// enable, a level, a concurrent login's SMS spend): a few more, since logins of one user
    /// often come in bursts (clients retrying).
    Login,
    /// Failed passcodes counted exactly: each conflict is another failure counted first, and
    /// the count stops at the lockout threshold, so this outlasts any burst below it. Password
    /// attempts count with it too: their increments within a window never conflict, only a
    /// window's start does, once per window.
    FailureCount,
    /// Turning MFA off or removing it must outlast concurrent bypass-code generations (each
    /// conflicts at most `Generation` times before it gives up), or a user could be kept from
    /// disabling MFA by someone generating codes.
    Removal,
    /// Generating bypass codes: every conflict is another generation or a removal that won,
    /// so this outlasts four competitors, and still gives way to a removal (which outlasts
    /// three of it, see above).
    Generation,
}

impl Budget {
    pub const fn attempts(self) -> usize {
        match self {
            Self::Contended => 3,
            Self::Login => 5,
            Self::FailureCount => 10,
            Self::Removal => 16,
            Self::Generation => 5,
        }
    }
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Attempt<T> {
    Done(T),
    /// A condition of the write did not hold: the state moved; read again and decide again.
    Changed,
}

impl<T> Attempt<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attempt<U> {
        match self {
            Self::Done(t) => Attempt::Done(f(t)),
            Self::Changed => Attempt::Changed,
        }
    }
}

/// A conditional write's result as an attempt.
pub fn attempt<T>(write: Result<T, StoreError>) -> Result<Attempt<T>, ApiError> {
    match write {
        Ok(t) => Ok(Attempt::Done(t)),
        Err(StoreError::Conflict) => Ok(Attempt::Changed),
        Err(e) => Err(e.into()),
    }
}

/// Decides and commits on `state` (each attempt owns the state it decides on), reading it
/// again (`reload`) each time it moved, until an attempt is done or the budget is spent (503).
pub async fn until_settled<S, T, F, R>(
    budget: Budget,
    mut state: S,
    mut decide_and_commit: impl FnMut(S) -> F,
    mut reload: impl FnMut() -> R,
) -> Result<T, ApiError>
where
    F: Future<Output = Result<Attempt<T>, ApiError>>,
    R: Future<Output = Result<S, ApiError>>,
{
    for _ in 0..budget.attempts() {
        match decide_and_commit(state).await? {
            Attempt::Done(done) => return Ok(done),
            Attempt::Changed => state = reload().await?,
        }
    }
    Err(ApiError::Unavailable(format!(
        "the state kept changing under concurrent requests ({budget:?} budget spent)"
    )))
}

/// [`until_settled`] on a user's account, read again from its partition.
pub async fn on_account<T, F>(
    services: &Services,
    budget: Budget,
    account: Account,
    decide_and_commit: impl FnMut(Account) -> F,
) -> Result<T, ApiError>
where
    F: Future<Output = Result<Attempt<T>, ApiError>>,
{
    let user_id = account.user.id.clone();
    until_settled(budget, account, decide_and_commit, || {
        services.reload_account(&user_id)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn it_decides_again_on_fresh_state_until_done_or_the_budget_is_spent() {
        let reloads = std::cell::Cell::new(0);
        let done = until_settled(
            Budget::Contended,
            0,
            |seen: i32| async move {
                Ok(if seen == 2 {
                    Attempt::Done(seen * 10)
                } else {
                    Attempt::Changed
                })
            },
            || {
                reloads.set(reloads.get() + 1);
                std::future::ready(Ok(reloads.get()))
            },
        )
        .await
        .unwrap();
        assert_eq!((done, reloads.get()), (20, 2));
        let spent = until_settled(
            Budget::Contended,
            0,
            |_: i32| async { Ok(Attempt::<()>::Changed) },
            || std::future::ready(Ok(1)),
        )
        .await
        .unwrap_err();
        assert_eq!(spent.status(), 503);
    }

    #[test]
    fn a_removal_outlasts_the_generations_it_races() {
        assert!(Budget::Removal.attempts() > Budget::Generation.attempts() * 3);
    }

    #[test]
    fn only_a_failed_condition_means_decide_again() {
        assert!(matches!(
            attempt::<()>(Err(StoreError::Conflict)),
            Ok(Attempt::Changed)
        ));
        assert!(matches!(attempt(Ok(1)), Ok(Attempt::Done(1))));
        assert_eq!(
            attempt::<()>(Err(StoreError::internal("x")))
                .unwrap_err()
                .status(),
            500
        );
    }
}
