//! The holes an outside security review found (issue 14), each as it was reproduced against a
//! running stack: these tests failed before the fixes.

use integration_tests::mfa::{enable_sms, put};
use integration_tests::phones::{add, send_code};
use integration_tests::*;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Password logins of `user` on 8 threads while `change` runs; returns every token they got.
/// The loops stop only after `change` has returned, so some logins straddle it.
fn tokens_minted_during(user: &TestUser, change: impl FnOnce()) -> Vec<String> {
    let stop = AtomicBool::new(false);
    let tokens = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let reply = login_reply(Gateway::Default, &user.username, &user.password);
                    if reply.status == 200 {
                        tokens.lock().unwrap().push(reply.token());
                    }
                }
            });
        }
        // Logins are under way (one has got its token: a fixed wait was too short for a
        // loaded machine's debug builds), then the change lands among them.
        let minted = || (!tokens.lock().unwrap().is_empty()).then_some(());
        if eventually(Duration::from_secs(15), minted).is_some() {
            change();
            std::thread::sleep(Duration::from_millis(200));
        }
        stop.store(true, Ordering::Relaxed);
    });
    let tokens = tokens.into_inner().unwrap();
    assert!(
        !tokens.is_empty(),
        "the logins got tokens before the change"
    );
    tokens
}

/// The tokens that still authenticate a request.
fn alive(user: &TestUser, tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .filter(|token| {
            let reply = Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", user.id))
                .token(token)
                .send();
            assert!(reply.status == 200 || reply.status == 401, "{}", reply.text);
            reply.status == 200
        })
        .cloned()
        .collect()
}

#[test]
fn hole_1_no_password_token_minted_while_mfa_is_enabled_survives_it() {
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    otp::enrolled(&u, "race");
    let tokens = tokens_minted_during(&u, || {
        put(&u.token, &u, json!({"enabled": true, "factorType": "OTP"})).assert_status(204);
    });
    assert_eq!(
        alive(&u, &tokens),
        Vec::<String>::new(),
        "of {} tokens",
        tokens.len()
    );
    // Revoked, not merely refused while MFA is on: turning it off brings none back.
    put(&admin.token, &u, json!({"enabled": false})).assert_status(204);
    assert_eq!(
        alive(&u, &tokens),
        Vec::<String>::new(),
        "after MFA went off again"
    );
}

#[test]
fn hole_1_no_token_minted_while_a_user_is_disabled_comes_back_with_enable_user() {
    let u = create_user("identity:default", Some(&new_domain()));
    let tokens = tokens_minted_during(&u, || disable_user(&u));
    let out = mfa_admin(&["enable-user", "--username", &u.username]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        alive(&u, &tokens),
        Vec::<String>::new(),
        "of {} tokens",
        tokens.len()
    );
    login(Gateway::Default, &u.username, &u.password);
}

#[test]
fn hole_1_no_password_token_minted_while_a_domain_goes_required_survives_it() {
    let domain = new_domain();
    let admin = create_user("identity:admin", None);
    let u = create_user("identity:default", Some(&domain));
    let set = |level: &str| {
        Call::new(
            Gateway::Default,
            "PUT",
            &format!("/v2.0/RAX-AUTH/domains/{domain}/multi-factor"),
        )
        .token(&admin.token)
        .json(&json!({"RAX-AUTH:multiFactorDomain": {"domainMultiFactorEnforcementLevel": level}}))
        .send()
        .assert_status(204);
    };
    let tokens = tokens_minted_during(&u, || set("REQUIRED"));
    // Back to OPTIONAL: the revoked tokens stay revoked.
    set("OPTIONAL");
    assert_eq!(
        alive(&u, &tokens),
        Vec::<String>::new(),
        "of {} tokens",
        tokens.len()
    );
    login(Gateway::Default, &u.username, &u.password);
}

#[test]
fn hole_1_a_password_only_token_is_refused_while_its_user_has_mfa_on() {
    // Defence in depth: a token that (by any path) predates MFA is refused while MFA is on.
    let u = create_user("identity:default", Some(&new_domain()));
    let old = u.token.clone();
    table::force_mfa(&u.id, "OTP");
    assert_eq!(alive(&u, &[old]), Vec::<String>::new());
}

#[test]
fn hole_2_a_user_admin_cannot_set_the_level_of_a_domain_whose_id_differs_in_case() {
    let own = format!("corp{}", unique(4));
    let other = own.to_uppercase();
    let ua = create_user("identity:user-admin", Some(&own));
    put(
        &ua.token,
        &ua,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_status(204);
    let victim = create_user("identity:default", Some(&other));
    let admin = create_user("identity:admin", None);
    let domain_put = |token: &str, level: &str| {
        Call::new(
            Gateway::Default,
            "PUT",
            &format!("/v2.0/RAX-AUTH/domains/{other}/multi-factor"),
        )
        .token(token)
        .json(&json!({"RAX-AUTH:multiFactorDomain": {"domainMultiFactorEnforcementLevel": level}}))
        .send()
    };
    domain_put(&ua.token, "REQUIRED").assert_fault(403, "forbidden", Some("Not Authorized"));
    assert_eq!(alive(&victim, std::slice::from_ref(&victim.token)).len(), 1);
    // Nor downgrade it once its own admin made it REQUIRED.
    domain_put(&admin.token, "REQUIRED").assert_status(204);
    domain_put(&ua.token, "OPTIONAL").assert_fault(403, "forbidden", Some("Not Authorized"));
    let shown = Call::new(
        Gateway::Default,
        "GET",
        &format!("/v2.0/RAX-AUTH/domains/{other}"),
    )
    .token(&admin.token)
    .send();
    assert_eq!(
        shown.json()["RAX-AUTH:domain"]["domainMultiFactorEnforcementLevel"],
        "REQUIRED"
    );
}

#[test]
fn hole_3_verification_sms_are_budgeted_per_user_across_numbers() {
    let u = create_user("identity:default", Some(&new_domain()));
    let mut sent = 0;
    let mut last = None;
    for _ in 0..6 {
        let (number, e164) = new_phone_number();
        let phone = add(Gateway::Default, &u.token, &u, &number);
        phone.assert_status(201);
        let id = phone.json()["RAX-AUTH:mobilePhone"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let reply = send_code(Gateway::Default, &u.token, &u, &id);
        if reply.status == 202 {
            sent += 1;
            assert!(sms::next_code_to(&e164, 0).is_some(), "SMS delivered");
        }
        last = Some(reply);
    }
    assert_eq!(sent, 5, "SEND_MAX_PER_HOUR per user, whatever the number");
    let refused = last.unwrap();
    refused.assert_fault(
        429,
        "overLimit",
        Some("Too many verification codes were requested for this user. Try again later."),
    );
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((3_000..=3_600).contains(&wait), "{wait}");
    // Send logs expire (TTL) an hour after their last send.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let logs = table::items_of(&u.id, "SENDLOG#");
    assert_eq!(logs.len(), 6, "five numbers and the user's own log");
    for log in logs {
        let expires: i64 = log["expiresAt"].as_n().unwrap().parse().unwrap();
        assert!(
            (now + 3_000..=now + 3_700).contains(&expires),
            "{expires} vs {now}"
        );
    }
}

#[test]
fn hole_3_a_domain_has_an_hourly_sms_budget_that_login_passcodes_share() {
    // The SmsBudget gateway allows 3 SMS per domain and hour (scripts/test.sh).
    let domain = new_domain();
    let sms_user = create_user("identity:default", Some(&domain));
    let e164 = enable_sms(&sms_user); // one verification SMS
    for _ in 0..2 {
        let u = create_user("identity:default", Some(&domain));
        let (number, _) = new_phone_number();
        let id = phones::add_ok(&u, &number);
        send_code(Gateway::SmsBudget, &u.token, &u, &id).assert_status(202);
    }
    let u = create_user("identity:default", Some(&domain));
    let id = phones::add_ok(&u, &new_phone_number().0);
    let message = "Too many text messages were sent for this domain. Try again later.";
    send_code(Gateway::SmsBudget, &u.token, &u, &id).assert_fault(429, "overLimit", Some(message));
    let before = sms::messages_to(&e164).len();
    login_reply(Gateway::SmsBudget, &sms_user.username, &sms_user.password).assert_fault(
        429,
        "overLimit",
        Some(message),
    );
    assert_eq!(sms::messages_to(&e164).len(), before, "no login SMS sent");
    // Another domain is not affected.
    let elsewhere = create_user("identity:default", Some(&new_domain()));
    let id = phones::add_ok(&elsewhere, &new_phone_number().0);
    send_code(Gateway::SmsBudget, &elsewhere.token, &elsewhere, &id).assert_status(202);
}

#[test]
fn hole_3_numbers_outside_the_allowed_regions_are_refused() {
    let u = create_user("identity:default", Some(&new_domain()));
    add(Gateway::Default, &u.token, &u, "+44 20 7946 0958").assert_fault(
        400,
        "badRequest",
        Some("Phone numbers in region GB cannot receive SMS from this service (allowed: US)."),
    );
    assert!(table::items_of(&u.id, "PHONE#").is_empty());
}

/// 256 KiB of namespace declarations: what held `authenticate` for 5.5 s before the cap.
fn hostile_document() -> Vec<u8> {
    let mut doc = String::from(r#"<auth xmlns="http://docs.openstack.org/identity/api/v2.0""#);
    let mut i = 0;
    while doc.len() < 256 * 1024 {
        doc.push_str(&format!(r#" xmlns:n{i}="urn:x:{i}""#));
        i += 1;
    }
    doc.push_str(r#"><passwordCredentials username="u" password="p"/></auth>"#);
    doc.into_bytes()
}

#[test]
fn hole_4_bodies_over_16_kib_are_refused_before_parsing() {
    let reply = Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .raw("application/xml", &hostile_document())
        .send();
    reply.assert_fault(
        413,
        "overLimit",
        Some("The request body is larger than the 16384 bytes accepted."),
    );
    assert!(reply.header("retry-after").is_none());
    // In XML when asked, on an authenticated route too, before the token is even looked up.
    let u = create_user("identity:default", Some(&new_domain()));
    let big = json!({"RAX-AUTH:otpDevice": {"name": "x".repeat(16 * 1024)}});
    let xml = Call::new(Gateway::Default, "POST", &format!("{}/otp-devices", u.mf()))
        .token("not-a-token")
        .header("Accept", "application/xml")
        .json(&big)
        .send();
    assert_eq!(xml.status, 413, "{}", xml.text);
    assert!(xml.text.contains("<overLimit"), "{}", xml.text);
    // Exactly 16 KiB is still read (and refused for what it says).
    let (head, tail) = (
        r#"{"auth":{"passwordCredentials":{"username":"nobody","password":""#,
        r#""}}}"#,
    );
    let body = format!(
        "{head}{}{tail}",
        "p".repeat(16 * 1024 - head.len() - tail.len())
    );
    let at_cap = Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .raw("application/json", body.as_bytes())
        .send();
    at_cap.assert_fault(401, "unauthorized", None);
}

#[test]
fn device_names_with_control_or_invisible_characters_are_refused() {
    let u = create_user("identity:default", Some(&new_domain()));
    for name in [
        "my\u{1}phone",
        "line\nbreak",
        "gnp\u{202E}.exe",
        "zero\u{200B}width",
    ] {
        otp::create(Gateway::Default, &u.token, &u, name).assert_fault(
            400,
            "badRequest",
            Some("Names may not contain control characters or other invisible characters."),
        );
    }
    assert!(table::items_of(&u.id, "OTP#").is_empty());
    let out = mfa_admin(&[
        "create-user",
        "--username",
        "bad\u{7}name",
        "--password",
        "Pw-1234567",
        "--role",
        "identity:admin",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--username may not contain control characters"));
}

#[test]
fn a_username_too_long_to_be_a_key_is_an_unknown_user_not_a_failure() {
    // DynamoDB keys hold at most 2048 bytes: the lookup must not even be tried.
    login_reply(
        Gateway::Default,
        &"u".repeat(4096),
        &format!("Pw-{}", unique(8)),
    )
    .assert_fault(
        401,
        "unauthorized",
        Some("Error code: 'AUTH-004'; Unable to authenticate user with credentials provided."),
    );
}

#[test]
fn a_repeated_session_header_joined_by_the_gateway_is_a_bad_request() {
    let reply = Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .header("X-SessionId", &"a".repeat(43))
        .header("X-SessionId", &"b".repeat(43))
        .json(&json!({"auth": {"RAX-AUTH:passcodeCredentials": {"passcode": "123456"}}}))
        .send();
    reply.assert_fault(400, "badRequest", Some("Invalid X-SessionId"));
}

/// The AWS calls (service and operation) one request made, from its gateway's log.
fn calls_of(reply: &Reply) -> Vec<String> {
    let request_id = reply.header("apigw-requestid").expect("request id");
    let log = format!("{}/default.log", std::env::var("LOG_DIR").expect("LOG_DIR"));
    let calls = || {
        let text = std::fs::read_to_string(&log).ok()?;
        let calls: Vec<String> = text
            .lines()
            .filter_map(|line| line.split_once("] {").map(|(_, json)| format!("{{{json}")))
            .filter_map(|json| serde_json::from_str::<Value>(&json).ok())
            .filter(|e| e["span"]["request_id"] == request_id.as_str())
            .filter(|e| e["fields"]["message"] == "aws call")
            .map(|e| format!("{} {}", e["fields"]["service"], e["fields"]["call"]))
            .collect();
        (!calls.is_empty()).then_some(calls)
    };
    eventually(Duration::from_secs(5), calls).expect("the request's AWS calls in the log")
}

#[test]
fn known_and_unknown_usernames_cost_the_same_reads() {
    let u = create_user("identity:default", Some(&new_domain()));
    let known = login_reply(Gateway::Default, &u.username, "wrong-password");
    let unknown = login_reply(
        Gateway::Default,
        &format!("nobody{}", unique(4)),
        "wrong-password",
    );
    known.assert_status(401);
    unknown.assert_status(401);
    assert_eq!(calls_of(&known), calls_of(&unknown));
    // The username's partition, a user's partition, the attempt counted, and the refusal
    // (with its security event for a known user: one transaction either way; issue 20).
    assert_eq!(calls_of(&known).len(), 4, "{:?}", calls_of(&known));
}
