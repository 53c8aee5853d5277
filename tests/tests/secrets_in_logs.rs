//! No PIN, password or token in any log line the functions and the gateway wrote.

use integration_tests::phones::verify;
use integration_tests::*;
use std::time::Duration;

fn all_logs() -> String {
    let dir = std::env::var("LOG_DIR").expect("LOG_DIR is set by make test");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("log dir") {
        text.push_str(&std::fs::read_to_string(entry.expect("entry").path()).unwrap_or_default());
    }
    text
}

#[test]
fn a_full_phone_enrolment_leaves_no_secret_in_the_logs() {
    let u = create_user("identity:default", Some(&new_domain()));
    let phones::PendingPhone { id, e164, pin } = phones::with_pin(&u);
    verify(Gateway::Default, &u.token, &u, &id, "000001").assert_status(400);
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_status(204);
    login_reply(
        Gateway::Default,
        &u.username,
        "wrong-password-for-the-log-test",
    )
    .assert_status(401);

    // Wait until this request's log line is written, so the scan sees everything above.
    let logs = eventually(Duration::from_secs(5), || {
        let text = all_logs();
        text.contains("mobile phone verified").then_some(text)
    })
    .expect("the functions log");
    assert!(
        logs.contains(&u.id),
        "logs carry ids (so the scan reads the right lines)"
    );
    for (what, secret) in [
        ("PIN", pin.as_str()),
        ("password", u.password.as_str()),
        ("wrong password", "wrong-password-for-the-log-test"),
        ("token", u.token.as_str()),
        (
            "pepper",
            &std::env::var("CODE_PEPPER").expect("CODE_PEPPER"),
        ),
    ] {
        assert!(!logs.contains(secret), "the {what} appears in a log line");
    }
    // The SMS text itself (which carries the PIN) is never logged either.
    let message = sms::messages_to(&e164).pop().expect("sms");
    assert!(!logs.contains(&message));
}

#[test]
fn mfa_logins_leave_no_passcode_session_bypass_code_or_otp_secret_in_the_logs() {
    let u = create_user("identity:default", Some(&new_domain()));
    let e164 = mfa::enable_sms(&u);
    let (session, passcode) = mfa::sms_challenge(Gateway::Default, &u, &e164);
    let ok = mfa::step2(Gateway::Default, &session, &passcode);
    ok.assert_status(200);
    let token = ok.token();
    let codes = mfa::codes(&mfa::bypass(
        Gateway::Default,
        &token,
        &u,
        Some(serde_json::json!({"numberOfCodes": 2})),
    ));
    mfa::step2(
        Gateway::Default,
        &mfa::challenge(Gateway::Default, &u),
        &codes[0],
    )
    .assert_status(200);
    let user = TestUser {
        token: token.clone(),
        ..u.clone()
    };
    let device = otp::create_ok(&user, "app");
    let secret = device
        .key_uri
        .split("secret=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    otp::verify(&token, &u, &device.id, &otp::code(&device.key_uri, 0)).assert_status(204);

    let logs = eventually(Duration::from_secs(5), || {
        let text = all_logs();
        text.contains("OTP device verified").then_some(text)
    })
    .expect("the functions log");
    for (what, value) in [
        ("login passcode", passcode.as_str()),
        ("session id", session.as_str()),
        ("MFA token", token.as_str()),
        ("bypass code (used)", codes[0].as_str()),
        ("bypass code (unused)", codes[1].as_str()),
        ("OTP secret", secret.as_str()),
        ("password", u.password.as_str()),
    ] {
        assert!(!logs.contains(value), "the {what} appears in a log line");
    }
}
