//! The attempt limits of NIST SP 800-63B rev 4 (issue 20), on the gateway with short ones: 3
//! failed passwords or API keys per username in a 2 s window, then 429 until it ends; passcodes
//! lock after 2 failures for 1 s, and for good after 5 in a row across releases.

use integration_tests::mfa::{challenge, put, shown_through, step2};
use integration_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const LIMITS: Gateway = Gateway::Limits;
const WINDOW: Duration = Duration::from_millis(2_100);

fn wrong_password(username: &str) -> Reply {
    login_reply(LIMITS, username, "not-the-password")
}

fn wrong_api_key(username: &str) -> Reply {
    Call::new(LIMITS, "POST", "/v2.0/tokens")
        .json(&json!({"auth": {"RAX-KSKEY:apiKeyCredentials":
            {"username": username, "apiKey": "0123456789abcdef0123456789abcdef"}}}))
        .send()
}

/// The user's `multiFactorState` as the administrator reads it through this gateway (whose
/// lockout rule decides LOCKED).
fn state(admin: &TestUser, user: &TestUser) -> Value {
    shown_through(LIMITS, admin, user)["RAX-AUTH:multiFactorState"].clone()
}

/// A new session and two wrong passcodes in it: the statuses of both.
fn two_wrong_passcodes(user: &TestUser) -> (u16, u16) {
    let session = challenge(LIMITS, user);
    let first = step2(LIMITS, &session, "000000").status;
    (first, step2(LIMITS, &session, "000000").status)
}

const RELEASE: Duration = Duration::from_millis(1_100);

/// The 429 of a username over its limit: `overLimit`, and a `Retry-After` within the window.
#[track_caller]
fn assert_limited(reply: &Reply) {
    reply.assert_fault(
        429,
        "overLimit",
        Some("Too many failed authentication attempts for this username. Try again later."),
    );
    let retry: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=2).contains(&retry), "Retry-After {retry}");
}

#[test]
fn a_username_is_refused_after_its_windows_failures_until_the_window_ends() {
    let u = create_user("identity:default", Some(&new_domain()));
    for _ in 0..3 {
        wrong_password(&u.username).assert_status(401);
    }
    // The right password too: no password hash is spent on a limited username.
    assert_limited(&login_reply(LIMITS, &u.username, &u.password));
    assert_limited(&wrong_api_key(&u.username));
    std::thread::sleep(WINDOW);
    login(LIMITS, &u.username, &u.password);
}

#[test]
fn a_success_forgets_the_failures() {
    let u = create_user("identity:default", Some(&new_domain()));
    for _ in 0..2 {
        wrong_password(&u.username).assert_status(401);
    }
    login(LIMITS, &u.username, &u.password);
    // Counted from zero again: three more failures are all 401, and only then 429.
    for _ in 0..3 {
        wrong_password(&u.username).assert_status(401);
    }
    assert_limited(&wrong_password(&u.username));
}

#[test]
fn password_and_api_key_failures_count_together() {
    let u = create_user("identity:default", Some(&new_domain()));
    wrong_password(&u.username).assert_status(401);
    wrong_api_key(&u.username).assert_status(401);
    wrong_password(&u.username).assert_status(401);
    assert_limited(&wrong_api_key(&u.username));
    assert_limited(&login_reply(LIMITS, &u.username, &u.password));
}

#[test]
fn unknown_usernames_are_limited_alike_and_tell_nothing() {
    let known = create_user("identity:default", Some(&new_domain()));
    let unknown = format!("nobody-{}", unique(6));
    let mut answers = Vec::new();
    for name in [&known.username, &unknown] {
        let failures: Vec<Reply> = (0..3).map(|_| wrong_password(name)).collect();
        let limited = wrong_password(name);
        assert_limited(&limited);
        answers.push((
            failures
                .iter()
                .map(|r| (r.status, r.text.clone()))
                .collect::<Vec<_>>(),
            limited.text,
        ));
    }
    assert_eq!(
        answers[0], answers[1],
        "a known and an unknown username answer alike"
    );
}

#[test]
fn parallel_failures_all_count() {
    let u = create_user("identity:default", Some(&new_domain()));
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..6)
            .map(|_| s.spawn(|| wrong_password(&u.username).status))
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    // Each attempt is counted before it is checked: exactly three are checked (401), however
    // they interleave, and the rest refused (429).
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 3, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    assert_limited(&login_reply(LIMITS, &u.username, &u.password));
}

#[test]
fn consecutive_passcode_failures_lock_for_good_across_releases() {
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let key_uri = mfa::enable_otp(&u);
    // Lock 1 (failures 1-2), released; lock 2 (3-4), released: a new session each time, which
    // resets nothing.
    for _ in 0..2 {
        assert_eq!(two_wrong_passcodes(&u), (401, 403));
        assert_eq!(state(&admin, &u), "LOCKED");
        std::thread::sleep(RELEASE);
        assert_eq!(state(&admin, &u), "ACTIVE");
    }
    // The fifth in a row locks for good: past the release it is still locked.
    let session = challenge(LIMITS, &u);
    step2(LIMITS, &session, "000000").assert_status(403);
    std::thread::sleep(RELEASE);
    assert_eq!(state(&admin, &u), "LOCKED");
    login_reply(LIMITS, &u.username, &u.password).assert_fault(
        401,
        "unauthorized",
        Some("Can not authenticate with credentials provided. The account has been locked due to excessive invalid attempts. Please contact an administrator"),
    );
    // Until an administrator unlocks it; then the right code logs in.
    put(&admin.token, &u, json!({"unlock": true})).assert_status(204);
    let session = challenge(LIMITS, &u);
    step2(LIMITS, &session, &otp::code(&key_uri, 1)).assert_status(200);
    // The trail: five failed passcodes, three locks (the last for good), one unlock.
    let reply = Call::new(Gateway::Default, "GET", &format!("{}/events", u.mf()))
        .token(&admin.token)
        .send();
    reply.assert_status(200);
    let events = reply.json()["RAX-AUTH:securityEvents"].clone();
    let of = |kind: &str, outcome: &str| -> Vec<serde_json::Value> {
        let events = events.as_array().expect("events");
        let found = events
            .iter()
            .filter(|e| e["type"] == kind && e["outcome"] == outcome);
        found.cloned().collect()
    };
    assert_eq!(of("mfa.verify", "failure").len(), 5);
    let locks: Vec<serde_json::Value> = of("mfa.lock", "failure")
        .iter()
        .map(|e| e["reason"].clone())
        .collect();
    assert_eq!(
        locks,
        [
            "locked until an authorized unlock",
            "lockout threshold reached",
            "lockout threshold reached"
        ],
        "newest first"
    );
    assert_eq!(of("mfa.unlock", "success").len(), 1);
}

#[test]
fn a_success_ends_the_run_of_failures() {
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let key_uri = mfa::enable_otp(&u);
    let two_locks = || {
        for _ in 0..2 {
            assert_eq!(two_wrong_passcodes(&u), (401, 403));
            std::thread::sleep(RELEASE);
            assert_eq!(state(&admin, &u), "ACTIVE", "released, not locked for good");
        }
    };
    // Four failures in two locks, then a success: the next four are again two releasable
    // locks (their first answered 401), not the fifth in a row (403 for good).
    two_locks();
    let session = challenge(LIMITS, &u);
    step2(LIMITS, &session, &otp::code(&key_uri, 1)).assert_status(200);
    two_locks();
}
