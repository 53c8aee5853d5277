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
