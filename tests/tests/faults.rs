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
