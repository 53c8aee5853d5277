//! A dependency that cannot be reached gets a 503 `serviceUnavailable` fault with a fixed
//! message, and leaves no partial state (checked in the table).

use integration_tests::*;

const UNAVAILABLE: &str =
    "The service is temporarily unavailable. The request was not completed; retry later.";

#[test]
fn sns_down_during_a_send_keeps_the_previous_pin() {
    // Invariant: a PIN the user never received does not replace the one they did.
    let u = create_user("identity:default", Some(&new_domain()));
    let phone = phones::with_pin(&u);
    let before = table::items_of(&u.id, "PHONE#");
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    phones::send_code(Gateway::NoSns, &u.token, &u, &phone.id).assert_fault(
        503,
        "serviceUnavailable",
        Some(UNAVAILABLE),
    );
    assert_eq!(
        table::items_of(&u.id, "PHONE#"),
        before,
        "phone item unchanged"
    );
    phones::verify(Gateway::Default, &u.token, &u, &phone.id, &phone.pin).assert_status(204);
}

#[test]
fn sns_down_at_login_leaves_no_session() {
    // Invariant: no session exists whose passcode was never delivered.
    let u = create_user("identity:default", Some(&new_domain()));
    mfa::enable_sms(&u);
    login_reply(Gateway::NoSns, &u.username, &u.password).assert_fault(
        503,
        "serviceUnavailable",
        Some(UNAVAILABLE),
    );
    assert_eq!(table::session_count(&u.id), 0);
}

#[test]
fn dynamodb_down_is_503_for_reads_writes_and_logins() {
    let u = create_user("identity:default", Some(&new_domain()));
    login_reply(Gateway::NoDynamoDb, &u.username, &u.password).assert_fault(
        503,
        "serviceUnavailable",
        Some(UNAVAILABLE),
    );
    phones::add(Gateway::NoDynamoDb, &u.token, &u, "+1 210-312-4600").assert_fault(
        503,
        "serviceUnavailable",
        None,
    );
    assert!(phones::listed(&u).is_empty());
}

/// Everything stored in a user's partition, to compare before and after a failed operation.
fn partition(
    user_id: &str,
) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    table::items_of(user_id, "")
}

#[test]
fn throttled_writes_leave_every_multi_item_change_undone() {
    // Invariant: an operation whose transaction fails changes nothing (reads had succeeded).
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let phone = phones::with_pin(&u);
    let (_, uri) = otp::enrolled(&u, "app");
    mfa::put(
        &u.token,
        &u,
        serde_json::json!({"enabled": true, "factorType": "OTP"}),
    )
    .assert_status(204);
    let token = mfa::step2(
        Gateway::Default,
        &mfa::challenge(Gateway::Default, &u),
        &otp::code(&uri, 1),
    )
    .token();
    let codes = mfa::codes(&mfa::bypass(
        Gateway::Default,
        &token,
        &u,
        Some(serde_json::json!({"numberOfCodes": 2})),
    ));
    // A login session for the end (its challenge's events are in the partition from now on).
    let session = mfa::challenge(Gateway::Default, &u);
    let before = partition(&u.id);
    let throttled = |method: &'static str, path: String, body: Option<serde_json::Value>| {
        let call = Call::new(Gateway::ThrottledWrites, method, &path).token(&token);
        match body {
            Some(b) => call.json(&b).send(),
            None => call.send(),
        }
    };
    let mf = u.mf();
    throttled(
        "POST",
        format!("{mf}/mobile-phones"),
        Some(serde_json::json!({"RAX-AUTH:mobilePhone": {"number": new_phone_number().0}})),
    )
    .assert_fault(503, "serviceUnavailable", Some(UNAVAILABLE));
    throttled("POST", format!("{mf}/bypass-codes"), None).assert_fault(
        503,
        "serviceUnavailable",
        None,
    );
    throttled("DELETE", mf.clone(), None).assert_fault(503, "serviceUnavailable", None);
    throttled(
        "PUT",
        mf.clone(),
        Some(serde_json::json!({"RAX-AUTH:multiFactor": {"enabled": false}})),
    )
    .assert_fault(503, "serviceUnavailable", None);
    throttled("DELETE", format!("{mf}/mobile-phones/{}", phone.id), None).assert_fault(
        503,
        "serviceUnavailable",
        None,
    );
    // The login's completing transaction (session, code, counter, token) fails as a whole:
    // the bypass code is not consumed and still works afterwards.
    mfa::step2(Gateway::ThrottledWrites, &session, &codes[0]).assert_fault(
        503,
        "serviceUnavailable",
        None,
    );
    assert_eq!(
        partition(&u.id),
        before,
        "the user's items are exactly as before"
    );
    mfa::step2(Gateway::Default, &session, &codes[0]).assert_status(200);
    assert_eq!(mfa::shown(&admin, &u)["RAX-AUTH:multiFactorEnabled"], true);
}

#[test]
fn kms_down_creates_no_otp_device_and_locks_no_otp_login() {
    // Invariant: no device is stored whose secret could not be sealed; an OTP login without
    // its key service fails closed (503), it does not let anyone in or count a failure.
    let u = create_user("identity:default", Some(&new_domain()));
    otp::create(Gateway::NoKms, &u.token, &u, "phone").assert_fault(
        503,
        "serviceUnavailable",
        Some(UNAVAILABLE),
    );
    assert!(table::items_of(&u.id, "OTP#").is_empty());
    let uri = mfa::enable_otp(&u);
    let session = mfa::challenge(Gateway::Default, &u);
    mfa::step2(Gateway::NoKms, &session, &otp::code(&uri, 1)).assert_fault(
        503,
        "serviceUnavailable",
        None,
    );
    mfa::step2(Gateway::Default, &session, &otp::code(&uri, 1)).assert_status(200);
}

#[test]
fn secrets_manager_down_sends_no_code_and_opens_no_session() {
    // The pepper is read from Secrets Manager at first use: without it nothing can be hashed, so
    // nothing is texted or stored. (That this gateway fails also shows that the pepper does come
    // from Secrets Manager, not from the environment.)
    let u = create_user("identity:default", Some(&new_domain()));
    let (number, e164) = new_phone_number();
    let phone_id = phones::add_ok(&u, &number);
    let before = table::items_of(&u.id, "PHONE#");
    phones::send_code(Gateway::NoSecretsManager, &u.token, &u, &phone_id).assert_fault(
        503,
        "serviceUnavailable",
        Some(UNAVAILABLE),
    );
    assert_eq!(table::items_of(&u.id, "PHONE#"), before, "no PIN stored");
    assert!(sms::messages_to(&e164).is_empty(), "no PIN texted");

    let v = create_user("identity:default", Some(&new_domain()));
    let e164 = mfa::enable_sms(&v);
    let texted = sms::messages_to(&e164).len();
    login_reply(Gateway::NoSecretsManager, &v.username, &v.password).assert_fault(
        503,
        "serviceUnavailable",
        Some(UNAVAILABLE),
    );
    assert_eq!(table::session_count(&v.id), 0);
    assert_eq!(sms::messages_to(&e164).len(), texted, "no passcode texted");
    login_reply(Gateway::Default, &v.username, &v.password).assert_status(401);
}
