use crate::secrets::constant_time_eq;
use serde::{Deserialize, Serialize};

/// An outstanding verification PIN: only its keyed hash is stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPin {
    pub hash: String,
    pub expires_at: i64,
    pub failed_attempts: u32,
}

/// A user's mobile phone (`PHONE#<id>` item).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobilePhone {
    pub id: String,
    /// E.164: stored, compared, texted to.
    pub number: String,
    /// The INTERNATIONAL form clients see (`+1 512-555-0123`), formatted once at creation.
    pub display: String,
    /// ISO 3166 region of the number, checked against the SMS allow-list before each send;
    /// none for phones added before regions were stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<PendingPin>,
    pub created_at: i64,
}

/// The outcome of checking a submitted PIN against the phone's pending one.
#[derive(Debug, PartialEq, Eq)]
pub enum PinCheck {
    Accepted,
    /// Wrong PIN: count the attempt (and void the PIN when the limit is reached).
    Wrong,
    /// No PIN, expired, used up, or already verified: nothing to count.
    Unusable,
}

impl MobilePhone {
    pub fn check_pin(&self, submitted_hash: &str, now: i64, max_attempts: u32) -> PinCheck {
        let Some(pin) = self.pin.as_ref().filter(|_| !self.verified) else {
            return PinCheck::Unusable;
        };
        // Expiry is checked in code: DynamoDB TTL deletes late, and only whole items.
        if pin.failed_attempts >= max_attempts || now >= pin.expires_at {
            return PinCheck::Unusable;
        }
        if constant_time_eq(&pin.hash, submitted_hash) {
            PinCheck::Accepted
        } else {
            PinCheck::Wrong
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(pin: Option<PendingPin>, verified: bool) -> MobilePhone {
        MobilePhone {
            id: "p".into(),
            number: "+15125550123".into(),
            display: "+1 512-555-0123".into(),
            region: Some("US".into()),
            verified,
            pin,
            created_at: 0,
        }
    }

    fn pending(attempts: u32) -> Option<PendingPin> {
        Some(PendingPin {
            hash: "h".into(),
            expires_at: 1_000,
            failed_attempts: attempts,
        })
    }

    #[test]
    fn a_matching_unexpired_pin_is_accepted() {
        assert_eq!(
            phone(pending(0), false).check_pin("h", 999, 5),
            PinCheck::Accepted
        );
        assert_eq!(
            phone(pending(4), false).check_pin("h", 999, 5),
            PinCheck::Accepted
        );
    }

    #[test]
    fn a_wrong_pin_counts_as_an_attempt() {
        assert_eq!(
            phone(pending(0), false).check_pin("x", 999, 5),
            PinCheck::Wrong
        );
    }

    #[test]
    fn expired_used_up_missing_or_verified_pins_are_unusable_even_when_matching() {
        assert_eq!(
            phone(pending(0), false).check_pin("h", 1_000, 5),
            PinCheck::Unusable
        );
        assert_eq!(
            phone(pending(5), false).check_pin("h", 999, 5),
            PinCheck::Unusable
        );
        assert_eq!(
            phone(None, false).check_pin("h", 999, 5),
            PinCheck::Unusable
        );
        assert_eq!(
            phone(pending(0), true).check_pin("h", 999, 5),
            PinCheck::Unusable
        );
    }
}
