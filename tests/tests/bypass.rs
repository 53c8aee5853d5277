//! Bypass codes (API.md 6.6 as amended; BEHAVIOR.md 2.13, 6, 10 #13, #49-#52; DECISIONS.md
//! "Bypass codes", 21): count and validity rules, single use, replacement, who may ask.

use integration_tests::mfa::{bypass, challenge, codes, enable_otp, enable_sms, login_sms, step2};
use integration_tests::*;
use serde_json::json;
use std::time::Duration;

/// A default user with SMS MFA on and its MFA token, plus its user-admin.
fn mfa_user() -> (TestUser, TestUser, String) {
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let e164 = enable_sms(&u);
    let token = login_sms(&u, &e164);
    (admin, TestUser { token, ..u }, e164)
}

fn validity(reply: &Reply) -> String {
    reply.json()["RAX-AUTH:bypassCodes"]["validityDuration"]
        .as_str()
        .expect("validityDuration")
        .to_owned()
}

fn login_with(user: &TestUser, code: &str) -> Reply {
    step2(Gateway::Default, &challenge(Gateway::Default, user), code)
}

#[test]
fn s84_s86_self_service_codes_work_once_each() {
    let (_, u, _) = mfa_user();
    let reply = bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"validityDuration": "PT20M", "numberOfCodes": 3})),
    );
    reply.assert_status(200);
    let codes = codes(&reply);
    assert_eq!(codes.len(), 3);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 8 && c.bytes().all(|b| b.is_ascii_digit())),
        "{codes:?}"
    );
    assert_eq!(validity(&reply), "P0Y0M0DT0H20M0.000S");
    let ok = login_with(&u, &codes[0]);
    ok.assert_status(200);
    // The token still shows the configured factor (BEHAVIOR.md 6).
    assert_eq!(
        ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "PASSCODE"])
    );
    login_with(&u, &codes[0]).assert_fault(401, "unauthorized", None);
    login_with(&u, &codes[1]).assert_status(200);
}

#[test]
fn s85_s87_s95_self_service_defaults_and_clamps() {
    let (_, u, _) = mfa_user();
    // No body: 10 codes for 30 days (DECISIONS.md 21).
    let reply = bypass(Gateway::Default, &u.token, &u, None);
    reply.assert_status(200);
    assert_eq!(codes(&reply).len(), 10);
    assert_eq!(validity(&reply), "P0Y0M30DT0H0M0.000S");
    // Counts are clamped to 1..10; the duration to 3 h.
    let reply = bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": 11, "validityDuration": "P1D"})),
    );
    assert_eq!(codes(&reply).len(), 10);
    assert_eq!(validity(&reply), "P0Y0M0DT3H0M0.000S");
    let reply = bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": "1"})),
    );
    assert_eq!(codes(&reply).len(), 1);
}

#[test]
fn s88_s90_codes_for_another_user_are_one_and_short_lived() {
    let (admin, u, _) = mfa_user();
    let reply = bypass(Gateway::Default, &admin.token, &u, None);
    reply.assert_status(200);
    assert_eq!(codes(&reply).len(), 1);
    assert_eq!(validity(&reply), "P0Y0M0DT0H30M0.000S");
    login_with(&u, &codes(&reply)[0]).assert_status(200);
    let reply = bypass(
        Gateway::Default,
        &admin.token,
        &u,
        Some(json!({"numberOfCodes": 2, "validityDuration": "PT200M"})),
    );
    assert_eq!(codes(&reply).len(), 1);
    assert_eq!(validity(&reply), "P0Y0M0DT3H0M0.000S");
}

#[test]
fn s91_an_expired_code_is_refused() {
    let (_, u, _) = mfa_user();
    let reply = bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"validityDuration": "PT1S", "numberOfCodes": 1})),
    );
    std::thread::sleep(Duration::from_millis(1_500));
    login_with(&u, &codes(&reply)[0]).assert_fault(401, "unauthorized", None);
}

#[test]
fn s92_disabling_mfa_deletes_the_codes_and_a_new_batch_replaces_the_old() {
    let (_, u, _) = mfa_user();
    let first = codes(&bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": 2})),
    ));
    let second = codes(&bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": 2})),
    ));
    login_with(&u, &first[0]).assert_fault(401, "unauthorized", None);
    mfa::put(&u.token, &u, json!({"enabled": false})).assert_status(204);
    mfa::put(&u.token, &u, json!({"enabled": true})).assert_status(204);
    login_with(&u, &second[0]).assert_fault(401, "unauthorized", None);
}

#[test]
fn s93_s96_bad_requests() {
    let (_, u, _) = mfa_user();
    bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"validityDuration": "twenty minutes"})),
    )
    .assert_fault(400, "badRequest", None);
    bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": "many"})),
    )
    .assert_fault(400, "badRequest", Some("Invalid json request body"));
    Call::new(
        Gateway::Default,
        "POST",
        &format!("{}/bypass-codes", u.mf()),
    )
    .token(&u.token)
    .raw("text/plain", b"{}")
    .send()
    .assert_fault(415, "badMediaType", None);
    let plain = create_user("identity:default", u.domain.as_deref());
    bypass(Gateway::Default, &plain.token, &plain, None).assert_fault(
        400,
        "badRequest",
        Some("You must have Multi-Factor Authentication set as optional or enabled for your profile to enforce Multi-Factor Authentication for the domain"),
    );
}

#[test]
fn who_may_ask_for_codes() {
    // BEHAVIOR.md 10 #13, #49, #50; API.md #94.
    let (admin, u, _) = mfa_user();
    let peer = create_user("identity:default", u.domain.as_deref());
    let manager = create_user("identity:user-manage", u.domain.as_deref());
    let other_domain = create_user("identity:user-manage", Some(&new_domain()));
    let ia = create_user("identity:admin", None);
    bypass(Gateway::Default, &peer.token, &u, None).assert_fault(
        403,
        "forbidden",
        Some("Not Authorized"),
    );
    bypass(Gateway::Default, &other_domain.token, &u, None).assert_fault(403, "forbidden", None);
    for caller in [&manager, &admin, &ia] {
        assert_eq!(
            codes(&bypass(Gateway::Default, &caller.token, &u, None)).len(),
            1
        );
    }
    // A disabled target (BEHAVIOR.md 2.13).
    disable_user(&u);
    bypass(Gateway::Default, &admin.token, &u, None).assert_fault(403, "userDisabled", None);
}

#[test]
fn bypass_codes_serve_otp_users_too() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let uri = enable_otp(&u);
    // Step 0's code verified the device; the next step's code logs in.
    let token = step2(
        Gateway::Default,
        &challenge(Gateway::Default, &u),
        &otp::code(&uri, 1),
    )
    .token();
    let code = codes(&bypass(
        Gateway::Default,
        &token,
        &u,
        Some(json!({"numberOfCodes": 1})),
    ))[0]
        .clone();
    let ok = login_with(&u, &code);
    assert_eq!(
        ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "OTPPASSCODE"])
    );
}

#[test]
fn one_code_used_in_parallel_logs_in_once() {
    // Invariant: a bypass code is single use, whatever the interleaving.
    let (_, u, _) = mfa_user();
    let code = codes(&bypass(
        Gateway::Default,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": 1})),
    ))[0]
        .clone();
    let sessions: Vec<String> = (0..4).map(|_| challenge(Gateway::Default, &u)).collect();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = sessions
            .iter()
            .map(|session| s.spawn(|| step2(Gateway::Default, session, &code).status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}
