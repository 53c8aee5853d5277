//! What `GET /v2.0/users/{userId}` shows (API.md SR-1, BEHAVIOR.md 8), once precedence let the
//! caller see the user.

use mfa_shared::model::{Account, Lockout};
use mfa_shared::views;
use serde_json::{json, Value};

/// The user with its MFA fields; its state `LOCKED` while the lockout holds at `now`.
pub fn answer(target: &Account, lockout: &Lockout, now: i64) -> Value {
    let locked = lockout.is_locked(&target.user.mfa, now);
    json!({ "user": views::user(&target.user, locked) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{config, member};

    #[test]
    fn the_mfa_fields_follow_the_state() {
        let lockout = config().lockout();
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(
            answer(&t, &lockout, 0)["user"]["RAX-AUTH:multiFactorEnabled"],
            false
        );
        assert!(answer(&t, &lockout, 0)["user"]
            .get("RAX-AUTH:multiFactorState")
            .is_none());
        t.user.mfa.enabled = true;
        assert_eq!(
            answer(&t, &lockout, 0)["user"]["RAX-AUTH:multiFactorState"],
            "ACTIVE"
        );
        assert_eq!(
            answer(&t, &lockout, 0)["user"]["RAX-AUTH:factorType"],
            "SMS"
        );
        t.user.mfa.failed_attempts = 3;
        t.user.mfa.last_failed_at = Some(1_000);
        assert_eq!(
            answer(&t, &lockout, 2_000)["user"]["RAX-AUTH:multiFactorState"],
            "LOCKED"
        );
        assert_eq!(
            answer(&t, &lockout, 1_000 + lockout.release_ms + 1)["user"]
                ["RAX-AUTH:multiFactorState"],
            "ACTIVE",
            "released"
        );
    }
}
