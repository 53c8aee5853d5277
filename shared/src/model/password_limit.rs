use serde::{Deserialize, Serialize};

/// The password attempt limit (NIST SP 800-63B rev 4 §3.2.2, which asks for rate limiting of
/// failed authentication): per username, once `max_failures` password or API-key attempts
/// have failed within `window_ms` of the first of them, later attempts are refused until the
/// window ends, without spending a password hash. Unknown usernames count the same way, so the
/// answer tells nothing about which usernames exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordLimit {
    pub max_failures: u32,
    pub window_ms: i64,
}

/// The failed first-factor attempts of one username in its current window (the `FAILURES`
/// item of the username's partition; gone after a success, expired by TTL after the window).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginFailures {
    pub failures: u32,
    pub window_start: i64,
}

/// How a failure is counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextFailure {
    /// One more in the open window that started then.
    Add { window_start: i64 },
    /// The first of a new window.
    Start(LoginFailures),
}

impl PasswordLimit {
    fn window_end(&self, failures: &LoginFailures) -> i64 {
        failures.window_start + self.window_ms
    }

    /// When attempts are refused now: the seconds until the window ends (at least 1), the
    /// `Retry-After` of the 429.
    pub fn refused_for(&self, failures: Option<&LoginFailures>, now_ms: i64) -> Option<u64> {
        let failures = failures?;
        let left_ms = self.window_end(failures) - now_ms;
        (failures.failures >= self.max_failures && left_ms > 0)
            .then(|| (left_ms as u64).div_ceil(1000).max(1))
    }

    /// Where one more failure at `now_ms` goes: into the window still open (by its start), or
    /// as the first of a new window.
    pub fn next_failure(&self, failures: Option<&LoginFailures>, now_ms: i64) -> NextFailure {
        match failures {
            Some(f) if now_ms < self.window_end(f) => NextFailure::Add {
                window_start: f.window_start,
            },
            _ => NextFailure::Start(LoginFailures {
                failures: 1,
                window_start: now_ms,
            }),
        }
    }

    /// When DynamoDB may delete the record (seconds; TTL): the end of its window.
    pub fn expires_at_secs(&self, failures: &LoginFailures) -> i64 {
        self.window_end(failures).div_euclid(1000) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: PasswordLimit = PasswordLimit {
        max_failures: 10,
        window_ms: 900_000,
    };

    fn seen(failures: u32, window_start: i64) -> LoginFailures {
        LoginFailures {
            failures,
            window_start,
        }
    }

    #[test]
    fn the_eleventh_attempt_in_the_window_is_refused_until_it_ends() {
        let start = 1_000_000;
        // (failures so far, now, refused for)
        for (failures, now, refused) in [
            (9, start + 1_000, None),
            (10, start + 1_000, Some(899)),
            (10, start + 899_001, Some(1)),
            (10, start + 899_999, Some(1)),
            (10, start + 900_000, None),
            (25, start, Some(900)),
        ] {
            let record = seen(failures, start);
            assert_eq!(
                LIMIT.refused_for(Some(&record), now),
                refused,
                "{failures} {now}"
            );
        }
        assert_eq!(LIMIT.refused_for(None, start), None);
    }

    #[test]
    fn a_failure_counts_into_the_open_window_or_starts_a_new_one() {
        let start = 1_000_000;
        let new = |at| NextFailure::Start(seen(1, at));
        assert_eq!(LIMIT.next_failure(None, start), new(start));
        assert_eq!(
            LIMIT.next_failure(Some(&seen(4, start)), start + 899_999),
            NextFailure::Add {
                window_start: start
            }
        );
        assert_eq!(
            LIMIT.next_failure(Some(&seen(10, start)), start + 900_000),
            new(start + 900_000)
        );
        assert_eq!(LIMIT.expires_at_secs(&seen(1, start)), 1_901);
    }
}
