use std::time::Duration;

/// When something stops being valid: checked in code to the millisecond, and handed to
/// DynamoDB's TTL (which deletes late, so it never decides) in whole seconds rounded up, so that
/// an item is never due for deletion before it has expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expiry {
    ms: i64,
}

impl Expiry {
    pub fn after(now_ms: i64, lifetime: Duration) -> Self {
        Self {
            ms: now_ms + lifetime.as_millis() as i64,
        }
    }

    pub fn at_ms(ms: i64) -> Self {
        Self { ms }
    }

    pub fn ms(self) -> i64 {
        self.ms
    }

    /// The TTL attribute's value.
    pub fn ttl_secs(self) -> i64 {
        self.ms.div_euclid(1000) + i64::from(self.ms.rem_euclid(1000) != 0)
    }

    pub fn has_passed(self, now_ms: i64) -> bool {
        now_ms >= self.ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_checks_milliseconds_and_the_ttl_never_comes_first() {
        let e = Expiry::after(1_000_500, Duration::from_secs(2));
        assert_eq!(e.ms(), 1_002_500);
        assert_eq!(e.ttl_secs(), 1_003);
        assert_eq!(
            Expiry::at_ms(1_003_000).ttl_secs(),
            1_003,
            "exact seconds stay"
        );
        assert!(!e.has_passed(1_002_499));
        assert!(e.has_passed(1_002_500));
    }
}
