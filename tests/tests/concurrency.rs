//! Many parallel requests for one user leave the invariants intact (issue: hardening).
//! Each test names its invariant; the emulator applies each request atomically, as DynamoDB does.

use integration_tests::phones::{add, send_code, verify};
use integration_tests::*;
use std::time::Duration;

#[test]
fn invariant_at_most_one_phone_per_user() {
    let u = create_user("identity:default", Some(&new_domain()));
    let numbers: Vec<(String, String)> = (0..6).map(|_| new_phone_number()).collect();
    let statuses = parallel(6, |i| {
        add(Gateway::Default, &u.token, &u, &numbers[i].0).status
    });
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.contains(&201));
    assert_eq!(phones::listed(&u).len(), 1);
    assert_eq!(
        table::items_of(&u.id, "PHONE#").len(),
        1,
        "no orphaned phone item"
    );
}

#[test]
fn invariant_a_pin_verifies_once() {
    let u = create_user("identity:default", Some(&new_domain()));
    let phone = phones::with_pin(&u);
    let statuses = parallel(6, |_| {
        verify(Gateway::Default, &u.token, &u, &phone.id, &phone.pin).status
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 204).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 204 || *s == 400),
        "{statuses:?}"
    );
}

#[test]
fn invariant_parallel_wrong_pins_all_count() {
    // Five wrong attempts void the PIN, however they interleave.
    let u = create_user("identity:default", Some(&new_domain()));
    let phone = phones::with_pin(&u);
    let wrong = if phone.pin == "000000" {
        "111111"
    } else {
        "000000"
    };
    parallel(5, |_| {
        verify(Gateway::Default, &u.token, &u, &phone.id, wrong).status
    });
    verify(Gateway::Default, &u.token, &u, &phone.id, &phone.pin).assert_fault(
        400,
        "badRequest",
        None,
    );
}

#[test]
fn invariant_one_sms_per_send_interval() {
    let u = create_user("identity:default", Some(&new_domain()));
    let (number, e164) = new_phone_number();
    let id = phones::add_ok(&u, &number);
    let statuses = parallel(5, |_| send_code(Gateway::Default, &u.token, &u, &id).status);
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 202 || *s == 429),
        "{statuses:?}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sms::messages_to(&e164).len(), 1);
}

#[test]
fn invariant_one_session_yields_one_token() {
    let u = create_user("identity:default", Some(&new_domain()));
    let e164 = mfa::enable_sms(&u);
    let (session, code) = mfa::sms_challenge(Gateway::Default, &u, &e164);
    let statuses = parallel(5, |_| mfa::step2(Gateway::Default, &session, &code).status);
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}

#[test]
fn invariant_no_bypass_codes_survive_mfa_being_turned_off() {
    // Generating codes races with disabling MFA: whichever wins, a user with MFA off holds no
    // bypass code, and generation answers 200 (before) or 400 (after), never a 5xx.
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    mfa::enable_otp(&u);
    for _ in 0..3 {
        mfa::put(
            &admin.token,
            &u,
            serde_json::json!({"enabled": true, "factorType": "OTP"}),
        )
        .assert_status(204);
        let statuses = parallel(4, |i| {
            if i == 0 {
                mfa::put(&admin.token, &u, serde_json::json!({"enabled": false})).status
            } else {
                mfa::bypass(Gateway::Default, &admin.token, &u, None).status
            }
        });
        assert_eq!(statuses[0], 204);
        assert!(
            statuses[1..].iter().all(|s| *s == 200 || *s == 400),
            "{statuses:?}"
        );
        assert!(
            table::items_of(&u.id, "BYPASS#").is_empty(),
            "bypass codes outlived MFA: {statuses:?}"
        );
    }
}
