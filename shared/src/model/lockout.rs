use super::MfaSettings;

/// The passcode lockout (BEHAVIOR.md 7.4) as a rule with the time passed in: `threshold`
/// consecutive failures lock the second factor; the lock releases itself `release_ms` after the
/// last counted failure; a failure after that starts the count again. Beside that count, every
/// failure since the last success or authorized unlock is counted across releases, and the
/// `permanent_after`th locks for good (NIST SP 800-63B rev 4 §3.2.2: at most 100 consecutive
/// failed attempts); issuing a new code or session resets neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    pub threshold: u32,
    pub release_ms: i64,
    pub permanent_after: u32,
}

/// The two counts after one more failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    /// Failures since the last release (the lock's count).
    pub attempts: u32,
    /// Failures since the last success or authorized unlock.
    pub consecutive: u32,
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

    /// Locked for good: only an authorized unlock (or turning MFA off) opens it.
    pub fn is_locked_for_good(&self, mfa: &MfaSettings) -> bool {
        mfa.consecutive_failures >= self.permanent_after
    }

    /// Locked now: for good, or the threshold reached and the last failure recent.
    pub fn is_locked(&self, mfa: &MfaSettings, now_ms: i64) -> bool {
        self.is_locked_for_good(mfa)
            || (mfa.failed_attempts >= self.threshold && self.recent(mfa, now_ms))
    }

    /// The counts after one more failure at `now_ms`: recent failures accumulate, an old count
    /// starts over; the consecutive count always grows.
    pub fn after_failure(&self, mfa: &MfaSettings, now_ms: i64) -> Counted {
        let attempts = match self.recent(mfa, now_ms) {
            true => mfa.failed_attempts + 1,
            false => 1,
        };
        Counted {
            attempts,
            consecutive: mfa.consecutive_failures + 1,
        }
    }

    /// Whether counts lock (the failure that locks is already answered 403).
    pub fn locks(&self, counted: Counted) -> bool {
        counted.attempts >= self.threshold || counted.consecutive >= self.permanent_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Lockout = Lockout {
        threshold: 3,
        release_ms: 1_800_000,
        permanent_after: 100,
    };

    fn failed(attempts: u32, last: Option<i64>) -> MfaSettings {
        MfaSettings {
            failed_attempts: attempts,
            last_failed_at: last,
            consecutive_failures: attempts,
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
            let counted = RULE.after_failure(&mfa, now);
            assert_eq!(counted.attempts, next, "{attempts} {last:?}");
            assert_eq!(counted.consecutive, attempts + 1, "{attempts} {last:?}");
            assert_eq!(RULE.locks(counted), locks, "{attempts} {last:?}");
        }
        assert_eq!(RULE.release_cutoff(now), now - 1_800_000);
    }

    #[test]
    fn the_hundredth_consecutive_failure_locks_for_good_across_releases() {
        let now = 10_000_000;
        let released = |consecutive| MfaSettings {
            failed_attempts: 3,
            last_failed_at: Some(now - 1_800_001),
            consecutive_failures: consecutive,
            ..MfaSettings::default()
        };
        // A released lock is open, whatever the consecutive count below the cap...
        assert!(!RULE.is_locked(&released(98), now));
        // ...the failure after it starts the lock's count again but not the consecutive one...
        let counted = RULE.after_failure(&released(98), now);
        assert_eq!((counted.attempts, counted.consecutive), (1, 99));
        assert!(!RULE.locks(counted));
        let counted = RULE.after_failure(&released(99), now);
        assert_eq!((counted.attempts, counted.consecutive), (1, 100));
        // ...and the hundredth locks, with no release: not even a day later.
        assert!(RULE.locks(counted));
        assert!(RULE.is_locked(&released(100), now + 86_400_000));
        assert!(RULE.is_locked_for_good(&released(100)));
        assert!(!RULE.is_locked_for_good(&released(99)));
    }
}
