use super::MfaSettings;

/// The passcode lockout (BEHAVIOR.md 7.4) as a rule with the time passed in: `threshold`
/// consecutive failures lock the second factor; the lock releases itself `release_ms` after the
/// last counted failure; a failure after that starts the count again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    pub threshold: u32,
    pub release_ms: i64,
}

impl Lockout {
    /// Failures before this instant no longer count: a lock from them has released.
    pub fn release_cutoff(&self, now_ms: i64) -> i64 {
        now_ms - self.release_ms
    }

    fn recent(&self, mfa: &MfaSettings, now_ms: i64) -> bool {
        mfa.last_failed_at
            .is_some_and(|t| t >= self.release_cutoff(now_ms))
    }

    /// Locked now: the threshold reached, and the last failure recent.
    pub fn is_locked(&self, mfa: &MfaSettings, now_ms: i64) -> bool {
        mfa.failed_attempts >= self.threshold && self.recent(mfa, now_ms)
    }

    /// The count after one more failure at `now_ms`: recent failures accumulate, an old count
    /// starts over.
    pub fn after_failure(&self, mfa: &MfaSettings, now_ms: i64) -> u32 {
        if self.recent(mfa, now_ms) {
            mfa.failed_attempts + 1
        } else {
            1
        }
    }

    /// Whether a count locks (the failure that reaches the threshold is already answered 403).
    pub fn locks(&self, attempts: u32) -> bool {
        attempts >= self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Lockout = Lockout {
        threshold: 3,
        release_ms: 1_800_000,
    };

    fn failed(attempts: u32, last: Option<i64>) -> MfaSettings {
        MfaSettings {
            failed_attempts: attempts,
            last_failed_at: last,
            ..MfaSettings::default()
        }
    }

    #[test]
    fn the_third_recent_failure_locks_until_the_release() {
        let now = 10_000_000;
        // (attempts so far, last failure, locked now, count after one more, that count locks)
        for (attempts, last, locked, next, locks) in [
            (0, None, false, 1, false),
            (1, Some(now - 1_000), false, 2, false),
            (2, Some(now - 1_000), false, 3, true),
            (3, Some(now - 1_000), true, 4, true),
            (3, Some(now - 1_800_000), true, 4, true),
            (3, Some(now - 1_800_001), false, 1, false),
            (2, Some(now - 1_800_001), false, 1, false),
        ] {
            let mfa = failed(attempts, last);
            assert_eq!(RULE.is_locked(&mfa, now), locked, "{attempts} {last:?}");
            assert_eq!(RULE.after_failure(&mfa, now), next, "{attempts} {last:?}");
            assert_eq!(RULE.locks(next), locks, "{attempts} {last:?}");
        }
        assert_eq!(RULE.release_cutoff(now), now - 1_800_000);
    }
}
