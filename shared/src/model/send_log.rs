use serde::{Deserialize, Serialize};

pub(super) const HOUR_MS: i64 = 3_600_000;

/// Recent SMS sends of one user (`SENDLOG#<number>` item): to one E.164 number (verification
/// PINs; kept apart from the phone so that deleting and re-adding a phone does not reset it),
/// or, under the two names below, every verification PIN and every login passcode of the user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendLog {
    /// The [`SendScope::key`] (stored as `number`: most logs are a number's).
    pub number: String,
    /// Send instants (ms) within the last hour, oldest first.
    pub sent_at: Vec<i64>,
    /// Optimistic-locking version: concurrent sends cannot both pass the limit.
    pub version: u64,
    /// Unix seconds, the DynamoDB TTL attribute: an hour after the last send the log limits
    /// nothing, so it may go.
    #[serde(default)]
    pub expires_at: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub struct SendRefused {
    pub retry_after_secs: u64,
}

/// Whose sends a log counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendScope<'a> {
    /// Verification PINs to one E.164 number (its minimum interval).
    Number(&'a str),
    /// The user's verification PINs to any number (the hourly budget across numbers).
    Verifications,
    /// The user's login passcodes.
    Logins,
}

impl SendScope<'_> {
    /// The log's key: the number, or a name no E.164 number can be (those start with `+`).
    pub fn key(&self) -> &str {
        match self {
            Self::Number(e164) => e164,
            Self::Verifications => "verifications",
            Self::Logins => "login",
        }
    }
}

impl SendLog {
    /// An empty log of this scope.
    pub fn new(scope: SendScope<'_>) -> Self {
        Self {
            number: scope.key().to_owned(),
            ..Self::default()
        }
    }

    /// Is another send allowed now? Otherwise, after how many whole seconds.
    pub fn check(
        &self,
        now: i64,
        min_interval_ms: i64,
        max_per_hour: u32,
    ) -> Result<(), SendRefused> {
        let recent: Vec<i64> = self
            .sent_at
            .iter()
            .copied()
            .filter(|t| now - t < HOUR_MS)
            .collect();
        let mut wait_until = None;
        if let Some(last) = recent.last() {
            if now - last < min_interval_ms {
                wait_until = Some(last + min_interval_ms);
            }
        }
        if recent.len() as u32 >= max_per_hour {
            // The oldest send that must leave the window before one more fits.
            let oldest_blocking = recent[recent.len() - max_per_hour as usize];
            wait_until = wait_until.max(Some(oldest_blocking + HOUR_MS));
        }
        match wait_until {
            None => Ok(()),
            Some(t) => Err(SendRefused {
                retry_after_secs: ((t - now + 999) / 1000).max(1) as u64,
            }),
        }
    }

    /// The log after one more send at `now` (entries older than an hour dropped).
    pub fn with_send(&self, now: i64) -> Self {
        let mut sent_at: Vec<i64> = self
            .sent_at
            .iter()
            .copied()
            .filter(|t| now - t < HOUR_MS)
            .collect();
        sent_at.push(now);
        Self {
            number: self.number.clone(),
            sent_at,
            version: self.version + 1,
            expires_at: (now + HOUR_MS) / 1000 + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_send_is_allowed() {
        assert_eq!(
            SendLog::new(SendScope::Number("+1")).check(0, 30_000, 5),
            Ok(())
        );
    }

    #[test]
    fn a_second_send_within_the_interval_waits_for_the_rest_of_it() {
        let log = SendLog::new(SendScope::Number("+1")).with_send(10_000);
        assert_eq!(
            log.check(20_000, 30_000, 5),
            Err(SendRefused {
                retry_after_secs: 20
            })
        );
        assert_eq!(log.check(40_000, 30_000, 5), Ok(()));
    }

    #[test]
    fn the_hourly_budget_frees_up_when_the_oldest_send_leaves_the_hour() {
        let mut log = SendLog::new(SendScope::Number("+1"));
        for i in 0..5 {
            log = log.with_send(i * 60_000);
        }
        assert_eq!(log.version, 5);
        assert_eq!(
            log.check(300_000, 30_000, 5),
            Err(SendRefused {
                retry_after_secs: 3_300
            })
        );
        assert_eq!(log.check(HOUR_MS, 30_000, 5), Ok(()));
        assert_eq!(
            log.expires_at,
            (240_000 + HOUR_MS) / 1000 + 1,
            "an hour after the last"
        );
        assert_eq!(
            log.with_send(HOUR_MS).sent_at.len(),
            5,
            "the oldest entry is dropped"
        );
    }
}
