//! The two-step login (API.md 6.3-6.5 as amended by DECISIONS.md; BEHAVIOR.md 7, 10 #63-#82):
//! complete SMS, OTP and bypass logins, session rules, failure counting and lockout.

use integration_tests::mfa::{
    challenge, enable_otp, enable_sms, login_sms, put, session_id, shown, sms_challenge, step2,
};
use integration_tests::*;
use serde_json::json;
use std::time::Duration;

const LOCKED: &str = "Can not authenticate with credentials provided. The account has been locked due to excessive invalid attempts. Please contact an administrator";

struct Pair {
    admin: TestUser,
    user: TestUser,
}

fn pair() -> Pair {
    let domain = new_domain();
    Pair {
        admin: create_user("identity:user-admin", Some(&domain)),
        user: create_user("identity:default", Some(&domain)),
    }
}

fn wrong(code: &str) -> &'static str {
    if code == "0000000" || code == "000000" {
        "9999999"
    } else {
        "0000000"
    }
}

#[test]
fn s33_s37_a_complete_sms_login() {
    let Pair { admin, user } = pair();
    let e164 = enable_sms(&user);
    // s34: enabling revoked the password token it was done with.
    phones::list(&user.token, &user).assert_fault(401, "unauthorized", None);
    // s35
    let shown = shown(&admin, &user);
    assert_eq!(shown["RAX-AUTH:multiFactorEnabled"], true);
    assert_eq!(shown["RAX-AUTH:multiFactorState"], "ACTIVE");
    assert_eq!(shown["RAX-AUTH:factorType"], "SMS");
    // s36
    let before = sms::messages_to(&e164).len();
    let reply = login_reply(Gateway::Default, &user.username, &user.password);
    reply.assert_fault(
        401,
        "unauthorized",
        Some("Additional authentication credentials required"),
    );
    let header = reply.header("www-authenticate").unwrap();
    assert!(
        regex::Regex::new(r"^OS-MF sessionId='([^']+)', factor='PASSCODE'$")
            .unwrap()
            .is_match(&header),
        "{header}"
    );
    assert_eq!(
        reply.header("x-user-name").as_deref(),
        Some(user.username.as_str())
    );
    let session = session_id(&reply);
    assert!(session.len() >= 43, "256-bit session id: {session}");
    let code = eventually(Duration::from_secs(5), || {
        let all = sms::messages_to(&e164);
        (all.len() > before).then(|| {
            all.last()
                .unwrap()
                .split_whitespace()
                .last()
                .unwrap()
                .to_owned()
        })
    })
    .expect("login SMS");
    assert_eq!(code.len(), 7);
    // s37
    let ok = step2(Gateway::Default, &session, &code);
    ok.assert_status(200);
    let by = ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"].clone();
    assert_eq!(by, json!(["PASSWORD", "PASSCODE"]));
    assert_eq!(
        ok.header("x-user-name").as_deref(),
        Some(user.username.as_str())
    );
    let token = ok.token();
    phones::list(&token, &user).assert_status(200);
    // s38: a session yields one token.
    step2(Gateway::Default, &session, &code).assert_fault(
        401,
        "unauthorized",
        Some("Can not authenticate with credentials provided"),
    );
}

#[test]
fn s39_s43_wrong_passcodes_unknown_missing_and_expired_sessions() {
    let Pair { user, .. } = pair();
    let e164 = enable_sms(&user);
    let (session, code) = sms_challenge(Gateway::Default, &user, &e164);
    let refused = step2(Gateway::Default, &session, wrong(&code));
    refused.assert_fault(
        401,
        "unauthorized",
        Some("Can not authenticate with credentials provided"),
    );
    assert_eq!(
        refused.header("x-user-name").as_deref(),
        Some(user.username.as_str())
    );
    step2(Gateway::Default, "nonexistent", &code).assert_fault(401, "unauthorized", None);
    Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .json(&json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": code}}}))
        .send()
        .assert_fault(400, "badRequest", Some("Invalid X-SessionId"));
    for body in [
        json!({"auth": {"RAX-AUTH:passcodeCredentials": {}}}),
        json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": " "}}}),
    ] {
        Call::new(Gateway::Default, "POST", "/v2.0/tokens")
            .header("X-SessionId", &session)
            .json(&body)
            .send()
            .assert_fault(400, "badRequest", None);
    }
    // Both kinds of credentials at once.
    Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .header("X-SessionId", &session)
        .json(&json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": code}, "passwordCredentials": {"username": user.username, "password": user.password}}}))
        .send()
        .assert_fault(400, "badRequest", None);
    // The session still works after one failure (it is single-use only on success).
    step2(Gateway::Default, &session, &code).assert_status(200);
    // s42: sessions of the short-TTL gateway live 2 s.
    let (short, code) = sms_challenge(Gateway::ShortTtl, &user, &e164);
    std::thread::sleep(Duration::from_millis(2_500));
    step2(Gateway::Default, &short, &code).assert_fault(
        401,
        "unauthorized",
        Some("Can not authenticate with credentials provided. Session has expired."),
    );
}

#[test]
fn sessions_and_tokens_are_not_interchangeable() {
    // DECISIONS.md 4.
    let Pair { user, .. } = pair();
    let uri = enable_otp(&user);
    let session = challenge(Gateway::Default, &user);
    phones::list(&session, &user).assert_fault(
        403,
        "forbidden",
        Some("The scope of this token does not allow access to this resource"),
    );
    let ok = step2(Gateway::Default, &session, &otp::code(&uri, 1));
    let token = ok.token();
    step2(Gateway::Default, &token, "123456").assert_fault(
        403,
        "forbidden",
        Some("The scope of this token does not allow access to this resource"),
    );
}

#[test]
fn s67_a_complete_otp_login_sends_no_sms() {
    let Pair { admin, user } = pair();
    let (number, e164) = new_phone_number();
    phones::add_ok(&user, &number);
    let uri = enable_otp(&user);
    assert_eq!(shown(&admin, &user)["RAX-AUTH:factorType"], "OTP");
    let reply = login_reply(Gateway::Default, &user.username, &user.password);
    reply.assert_status(401);
    assert!(reply
        .header("www-authenticate")
        .unwrap()
        .ends_with(", factor='OTPPASSCODE'"));
    // The device was verified with this step's code: the next step's code logs in.
    let ok = step2(Gateway::Default, &session_id(&reply), &otp::code(&uri, 1));
    ok.assert_status(200);
    assert_eq!(
        ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "OTPPASSCODE"])
    );
    assert!(sms::messages_to(&e164).is_empty(), "OTP logins send no SMS");
}

#[test]
fn an_accepted_totp_code_cannot_be_replayed() {
    let Pair { user, .. } = pair();
    let uri = enable_otp(&user);
    let code = otp::code(&uri, 1);
    step2(Gateway::Default, &challenge(Gateway::Default, &user), &code).assert_status(200);
    step2(Gateway::Default, &challenge(Gateway::Default, &user), &code).assert_fault(
        401,
        "unauthorized",
        None,
    );
    // An older code than the last accepted one is a replay too.
    step2(
        Gateway::Default,
        &challenge(Gateway::Default, &user),
        &otp::code(&uri, 0),
    )
    .assert_fault(401, "unauthorized", None);
}

#[test]
fn s68_switching_from_sms_to_otp() {
    let Pair { user, .. } = pair();
    let e164 = enable_sms(&user);
    let token = login_sms(&user, &e164);
    // Enrol with the MFA token (enabling MFA revoked the password token).
    let (_, uri) = otp::enrolled(
        &TestUser {
            token: token.clone(),
            ..user.clone()
        },
        "app",
    );
    put(&token, &user, json!({"factorType": "OTP"})).assert_status(204);
    // Switching revokes nothing.
    phones::list(&token, &user).assert_status(200);
    let sent = sms::messages_to(&e164).len();
    let session = challenge(Gateway::Default, &user);
    assert_eq!(
        sms::messages_to(&e164).len(),
        sent,
        "no SMS after switching to OTP"
    );
    let ok = step2(Gateway::Default, &session, &otp::code(&uri, 1));
    assert_eq!(
        ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "OTPPASSCODE"])
    );
}

#[test]
fn s75_s77_the_third_failure_locks_and_an_admin_unlocks() {
    let Pair { admin, user } = pair();
    let e164 = enable_sms(&user);
    let (session, code) = sms_challenge(Gateway::Default, &user, &e164);
    for _ in 0..2 {
        step2(Gateway::Default, &session, wrong(&code)).assert_fault(401, "unauthorized", None);
        assert_eq!(shown(&admin, &user)["RAX-AUTH:multiFactorState"], "ACTIVE");
    }
    step2(Gateway::Default, &session, wrong(&code)).assert_fault(403, "forbidden", Some(LOCKED));
    assert_eq!(shown(&admin, &user)["RAX-AUTH:multiFactorState"], "LOCKED");
    // s76: while locked, even the right passcode is refused, and step 1 sends no SMS.
    step2(Gateway::Default, &session, &code).assert_fault(403, "forbidden", Some(LOCKED));
    let sent = sms::messages_to(&e164).len();
    let locked = login_reply(Gateway::Default, &user.username, &user.password);
    locked.assert_fault(401, "unauthorized", Some(LOCKED));
    assert!(locked.header("www-authenticate").is_none());
    assert_eq!(sms::messages_to(&e164).len(), sent);
    // s79: unlock:false changes nothing.
    put(&admin.token, &user, json!({"unlock": false})).assert_status(204);
    assert_eq!(shown(&admin, &user)["RAX-AUTH:multiFactorState"], "LOCKED");
    // s77
    put(&admin.token, &user, json!({"unlock": true})).assert_status(204);
    assert_eq!(shown(&admin, &user)["RAX-AUTH:multiFactorState"], "ACTIVE");
    login_sms(&user, &e164);
}

#[test]
fn s78_nobody_unlocks_itself() {
    let Pair { user, .. } = pair();
    let e164 = enable_sms(&user);
    let token = login_sms(&user, &e164);
    put(&token, &user, json!({"unlock": true})).assert_fault(
        403,
        "forbidden",
        Some("Can not make this multifactor change on own account"),
    );
    // DECISIONS.md 27: unlock:false on yourself is a no-op.
    put(&token, &user, json!({"unlock": false})).assert_status(204);
}

#[test]
fn s80_a_lock_releases_itself_after_the_configured_time() {
    // The short-TTL gateway releases locks 2 s after the last failure.
    let Pair { user, .. } = pair();
    let uri = enable_otp(&user);
    let session = challenge(Gateway::ShortTtl, &user);
    let spare = challenge(Gateway::Default, &user);
    for _ in 0..3 {
        step2(Gateway::ShortTtl, &session, "000000");
    }
    step2(Gateway::ShortTtl, &spare, &otp::code(&uri, 1)).assert_fault(
        403,
        "forbidden",
        Some(LOCKED),
    );
    std::thread::sleep(Duration::from_millis(2_500));
    let session = challenge(Gateway::ShortTtl, &user);
    step2(Gateway::ShortTtl, &session, &otp::code(&uri, 1)).assert_status(200);
}

#[test]
fn s81_s83_removing_or_disabling_a_locked_user_and_unlocking_without_mfa() {
    let Pair { admin, user } = pair();
    enable_otp(&user);
    let session = challenge(Gateway::Default, &user);
    for _ in 0..3 {
        step2(Gateway::Default, &session, "000000");
    }
    // s82 as amended (BEHAVIOR.md 11.8): disabling is allowed while locked.
    put(&admin.token, &user, json!({"enabled": false})).assert_status(204);
    assert!(shown(&admin, &user)
        .get("RAX-AUTH:multiFactorState")
        .is_none());
    login(Gateway::Default, &user.username, &user.password);
    // s81: DELETE works on a locked user too.
    let other = pair();
    enable_otp(&other.user);
    let session = challenge(Gateway::Default, &other.user);
    for _ in 0..3 {
        step2(Gateway::Default, &session, "000000");
    }
    Call::new(Gateway::Default, "DELETE", &other.user.mf())
        .token(&other.admin.token)
        .send()
        .assert_status(204);
    let ok = login_reply(Gateway::Default, &other.user.username, &other.user.password);
    ok.assert_status(200);
    assert_eq!(
        ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD"])
    );
    // s83
    put(
        &admin.token,
        &pair_user_without_mfa(&admin),
        json!({"unlock": true}),
    )
    .assert_status(204);
}

fn pair_user_without_mfa(admin: &TestUser) -> TestUser {
    create_user("identity:default", admin.domain.as_deref())
}

#[test]
fn parallel_wrong_passcodes_are_all_counted_and_lock_at_the_third() {
    // Invariant: exact failure counts under concurrency; the lock holds.
    let Pair { admin, user } = pair();
    let uri = enable_otp(&user);
    let session = challenge(Gateway::Default, &user);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| s.spawn(|| step2(Gateway::Default, &session, "000000").status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 403).count(),
        4,
        "{statuses:?}"
    );
    assert_eq!(shown(&admin, &user)["RAX-AUTH:multiFactorState"], "LOCKED");
    step2(Gateway::Default, &session, &otp::code(&uri, 0)).assert_status(403);
}

#[test]
fn s53_a_disabled_user_gets_403_at_step_one_and_its_sessions_end() {
    let Pair { user, .. } = pair();
    let uri = enable_otp(&user);
    let session = challenge(Gateway::Default, &user);
    disable_user(&user);
    login_reply(Gateway::Default, &user.username, &user.password).assert_fault(
        403,
        "userDisabled",
        None,
    );
    step2(Gateway::Default, &session, &otp::code(&uri, 0)).assert_fault(403, "userDisabled", None);
    let out = mfa_admin(&["enable-user", "--username", &user.username]);
    assert!(out.status.success());
    // DECISIONS.md 13: the session was revoked with the tokens.
    step2(Gateway::Default, &session, &otp::code(&uri, 0)).assert_fault(401, "unauthorized", None);
}

#[test]
fn step_two_for_a_user_without_mfa_is_an_unknown_credential() {
    let Pair { admin, user } = pair();
    let uri = enable_otp(&user);
    let session = challenge(Gateway::Default, &user);
    put(&admin.token, &user, json!({"enabled": false})).assert_status(204);
    step2(Gateway::Default, &session, &otp::code(&uri, 0)).assert_fault(
        400,
        "badRequest",
        Some("Unknown credential type"),
    );
}
