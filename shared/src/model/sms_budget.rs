//! The budgets every SMS is spent against (SMS pumping: SECURITY.md). A verification PIN
//! counts against its number's minimum interval, the user's hourly budget across numbers and
//! the domain's hourly budget; a login passcode against the user's login budget and the same
//! domain budget. `SmsSpend::plan` decides, without I/O; the store writes the spend in the
//! same transaction as what the SMS is for.

use super::send_log::HOUR_MS;
use super::{Account, SendLog, SendRefused, SendScope};
use serde::{Deserialize, Serialize};

/// The SMS sent for one domain's users in one clock hour (`DOMAIN#<id>` / `SMSHOUR#<hour>`
/// item): verification PINs and login passcodes alike. A fixed hour rather than a sliding log
/// like `SendLog`: sends of different users add to one counter atomically instead of racing on
/// a version, at the price of up to twice the budget across an hour boundary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainSmsHour {
    /// Hours since the Unix epoch.
    pub hour: i64,
    #[serde(default)]
    pub count: u32,
}

impl DomainSmsHour {
    /// The hour `now` (ms) falls in, with nothing counted yet.
    pub fn at(now_ms: i64) -> Self {
        Self {
            hour: now_ms.div_euclid(HOUR_MS),
            count: 0,
        }
    }

    /// Another SMS fits in `max`; otherwise it waits for the next hour.
    pub fn check(&self, now_ms: i64, max: u32) -> Result<(), SendRefused> {
        if self.count < max {
            return Ok(());
        }
        let next_hour = (self.hour + 1) * HOUR_MS;
        Err(SendRefused {
            retry_after_secs: ((next_hour - now_ms + 999) / 1000).max(1) as u64,
        })
    }

    /// Unix seconds for the TTL attribute: the hour after this one, when it limits nothing.
    pub fn expires_at(&self) -> i64 {
        (self.hour + 2) * HOUR_MS / 1000
    }
}

/// What an SMS is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsPurpose<'a> {
    /// A verification PIN to this E.164 number.
    Verification(&'a str),
    /// A login passcode.
    Login,
}

/// The limits, from configuration.
#[derive(Clone, Copy, Debug)]
pub struct SmsLimits {
    pub number_min_interval_ms: i64,
    pub verifications_per_hour: u32,
    pub logins_per_hour: u32,
    pub domain_per_hour: u32,
}

/// Which budget refused an SMS, and for how long.
#[derive(Debug, PartialEq, Eq)]
pub enum SmsRefused {
    /// The number had a PIN sent less than the minimum interval ago.
    Number(SendRefused),
    /// The user's verification PINs this hour, across numbers.
    UserVerifications(SendRefused),
    /// The user's login passcodes this hour.
    UserLogins(SendRefused),
    /// The domain's SMS this hour.
    Domain(SendRefused),
}

impl SmsRefused {
    /// The budget that refused, as a security event's `reason` names it.
    pub fn budget(&self) -> &'static str {
        match self {
            Self::Number(_) => "number send interval",
            Self::UserVerifications(_) => "user verification SMS per hour",
            Self::UserLogins(_) => "user login SMS per hour",
            Self::Domain(_) => "domain SMS per hour",
        }
    }
}

/// One SMS as spent: each log before and after it, and the domain and hour it counts in
/// (none for a user without a domain). Written conditionally on the logs' versions and on the
/// domain hour still being under `domain_max`.
#[derive(Clone, Debug, PartialEq)]
pub struct SmsSpend {
    pub logs: Vec<(SendLog, SendLog)>,
    pub domain: Option<(String, DomainSmsHour)>,
    pub domain_max: u32,
}

impl SmsSpend {
    /// Whether one more SMS for `purpose` fits every budget at `now`, given the account's send
    /// logs and the domain's hour as read (`None` when the user has no domain).
    pub fn plan(
        purpose: SmsPurpose<'_>,
        account: &Account,
        domain_hour: Option<DomainSmsHour>,
        limits: &SmsLimits,
        now: i64,
    ) -> Result<Self, SmsRefused> {
        let mut logs = Vec::new();
        match purpose {
            SmsPurpose::Verification(number) => {
                let log = account.send_log(SendScope::Number(number));
                log.check(now, limits.number_min_interval_ms, u32::MAX)
                    .map_err(SmsRefused::Number)?;
                logs.push(log);
                let user = account.send_log(SendScope::Verifications);
                user.check(now, 0, limits.verifications_per_hour)
                    .map_err(SmsRefused::UserVerifications)?;
                logs.push(user);
            }
            SmsPurpose::Login => {
                let user = account.send_log(SendScope::Logins);
                user.check(now, 0, limits.logins_per_hour)
                    .map_err(SmsRefused::UserLogins)?;
                logs.push(user);
            }
        }
        if let Some(hour) = &domain_hour {
            hour.check(now, limits.domain_per_hour)
                .map_err(SmsRefused::Domain)?;
        }
        Ok(Self {
            logs: logs
                .into_iter()
                .map(|log| {
                    let after = log.with_send(now);
                    (log, after)
                })
                .collect(),
            domain: account.user.domain_id.clone().zip(domain_hour),
            domain_max: limits.domain_per_hour,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: SmsLimits = SmsLimits {
        number_min_interval_ms: 30_000,
        verifications_per_hour: 2,
        logins_per_hour: 1,
        domain_per_hour: 3,
    };

    fn account(logs: Vec<SendLog>) -> Account {
        let mut a = crate::fixtures::member("u", "identity:default", "d");
        a.send_logs = logs;
        a
    }

    fn sent(scope: SendScope<'_>, at: &[i64]) -> SendLog {
        at.iter()
            .fold(SendLog::new(scope), |log, t| log.with_send(*t))
    }

    #[test]
    fn a_verification_counts_against_its_number_the_user_and_the_domain() {
        let now = 10 * HOUR_MS;
        let spend = SmsSpend::plan(
            SmsPurpose::Verification("+1"),
            &account(vec![]),
            Some(DomainSmsHour::at(now)),
            &LIMITS,
            now,
        )
        .unwrap();
        let names: Vec<&str> = spend
            .logs
            .iter()
            .map(|(_, after)| after.number.as_str())
            .collect();
        assert_eq!(names, ["+1", SendScope::Verifications.key()]);
        assert!(spend
            .logs
            .iter()
            .all(|(before, after)| after.version == before.version + 1));
        assert_eq!(spend.domain, Some(("d".to_owned(), DomainSmsHour::at(now))));
    }

    #[test]
    fn the_user_budget_holds_across_numbers() {
        let now = 10 * HOUR_MS;
        let logs = vec![
            sent(SendScope::Number("+1"), &[now - 120_000]),
            sent(SendScope::Number("+2"), &[now - 60_000]),
            sent(SendScope::Verifications, &[now - 120_000, now - 60_000]),
        ];
        let refused = SmsSpend::plan(
            SmsPurpose::Verification("+3"),
            &account(logs),
            None,
            &LIMITS,
            now,
        );
        assert_eq!(
            refused,
            Err(SmsRefused::UserVerifications(SendRefused {
                retry_after_secs: 3_480
            }))
        );
    }

    #[test]
    fn the_number_interval_comes_first_then_the_domain() {
        let now = 10 * HOUR_MS;
        let logs = vec![sent(SendScope::Number("+1"), &[now - 10_000])];
        assert!(matches!(
            SmsSpend::plan(
                SmsPurpose::Verification("+1"),
                &account(logs),
                None,
                &LIMITS,
                now
            ),
            Err(SmsRefused::Number(SendRefused {
                retry_after_secs: 20
            }))
        ));
        let full = DomainSmsHour {
            count: 3,
            ..DomainSmsHour::at(now)
        };
        assert!(matches!(
            SmsSpend::plan(
                SmsPurpose::Login,
                &account(vec![]),
                Some(full),
                &LIMITS,
                now
            ),
            Err(SmsRefused::Domain(_))
        ));
    }

    #[test]
    fn logins_have_their_own_user_budget() {
        let now = 10 * HOUR_MS;
        let logs = vec![sent(SendScope::Logins, &[now - 1_000])];
        assert!(matches!(
            SmsSpend::plan(
                SmsPurpose::Login,
                &account(logs.clone()),
                None,
                &LIMITS,
                now
            ),
            Err(SmsRefused::UserLogins(_))
        ));
        assert!(SmsSpend::plan(
            SmsPurpose::Verification("+1"),
            &account(logs),
            None,
            &LIMITS,
            now
        )
        .is_ok());
    }

    #[test]
    fn the_budget_refuses_until_the_next_clock_hour() {
        let now = 5 * HOUR_MS + 600_000;
        let mut hour = DomainSmsHour::at(now);
        assert_eq!(hour.hour, 5);
        assert_eq!(hour.check(now, 2), Ok(()));
        hour.count = 2;
        assert_eq!(
            hour.check(now, 2),
            Err(SendRefused {
                retry_after_secs: 3_000
            })
        );
        assert_eq!(hour.expires_at(), 7 * 3_600);
    }
}
