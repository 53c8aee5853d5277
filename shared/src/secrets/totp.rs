//! HOTP (RFC 4226) and TOTP (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps.

use super::constant_time_eq;
use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const DIGITS: u32 = 6;
pub const PERIOD_SECS: i64 = 30;
/// 160-bit secrets, as RFC 4226 recommends (base32: exactly 32 characters).
pub const SECRET_BYTES: usize = 20;

/// The `digits`-digit HOTP value of `counter` (dynamic truncation, RFC 4226 5.3).
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(digits),
        width = digits as usize
    )
}

/// The RFC 6238 time step of a Unix time.
pub fn time_step(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(PERIOD_SECS)
}

/// The time step whose code `code` is, among steps T-window..=T+window, provided it is later
/// than `last_accepted` (a code at or before the last accepted step is a replay). Every step
/// is compared in constant time.
pub fn match_totp(
    key: &[u8],
    code: &str,
    unix_secs: i64,
    window: i64,
    last_accepted: Option<i64>,
) -> Option<i64> {
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = time_step(unix_secs);
    let mut found = None;
    for step in now - window..=now + window {
        if step < 0 || last_accepted.is_some_and(|last| step <= last) {
            continue;
        }
        if constant_time_eq(&hotp(key, step as u64, DIGITS), code) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_appendix_d_vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), *want, "counter {counter}");
        }
    }

    #[test]
    fn rfc6238_appendix_b_sha1_vectors() {
        for (time, want) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(hotp(RFC_KEY, time_step(time) as u64, 8), want, "T={time}");
        }
    }

    fn code_at(step: i64) -> String {
        hotp(RFC_KEY, step as u64, DIGITS)
    }

    #[test]
    fn the_window_accepts_one_step_either_side_and_no_more() {
        let now = 1_000_000 * PERIOD_SECS + 7;
        let t = time_step(now);
        for (step, accepted) in [
            (t - 2, false),
            (t - 1, true),
            (t, true),
            (t + 1, true),
            (t + 2, false),
        ] {
            assert_eq!(
                match_totp(RFC_KEY, &code_at(step), now, 1, None),
                accepted.then_some(step),
                "step T{:+}",
                step - t
            );
        }
        assert_eq!(
            match_totp(RFC_KEY, &code_at(t - 1), now, 0, None),
            None,
            "window 0 is T only"
        );
    }

    #[test]
    fn step_edges_follow_the_clock() {
        let start = 2_000 * PERIOD_SECS;
        // Last second of a step and first second of the next see different "now" steps.
        assert_eq!(time_step(start - 1), 1_999);
        assert_eq!(time_step(start), 2_000);
        assert_eq!(
            match_totp(RFC_KEY, &code_at(1_998), start - 1, 1, None),
            Some(1_998)
        );
        assert_eq!(match_totp(RFC_KEY, &code_at(1_998), start, 1, None), None);
    }

    #[test]
    fn a_code_at_or_before_the_last_accepted_step_is_a_replay() {
        let now = 5_000 * PERIOD_SECS;
        let t = time_step(now);
        assert_eq!(
            match_totp(RFC_KEY, &code_at(t), now, 1, Some(t)),
            None,
            "same step again"
        );
        assert_eq!(
            match_totp(RFC_KEY, &code_at(t - 1), now, 1, Some(t)),
            None,
            "older step"
        );
        assert_eq!(
            match_totp(RFC_KEY, &code_at(t + 1), now, 1, Some(t)),
            Some(t + 1),
            "a later step"
        );
    }

    #[test]
    fn malformed_codes_never_match() {
        for code in ["", "12345", "1234567", "12a456", " 123456"] {
            assert_eq!(match_totp(RFC_KEY, code, 59, 1, None), None, "{code:?}");
        }
    }
}
