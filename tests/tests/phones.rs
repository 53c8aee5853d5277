//! Mobile-phone operations end to end: API.md 6.2 as amended by DECISIONS.md, the phone cases
//! of BEHAVIOR.md 10, and bad input (right fault, nothing written).

use integration_tests::phones::{self, add, add_ok, listed, send_and_read_pin, send_code, verify};
use integration_tests::*;
use serde_json::json;
use std::time::Duration;

const P1: &str = "+1 210-312-4600";

fn user() -> TestUser {
    create_user("identity:default", Some(&new_domain()))
}

#[test]
fn s1_add_returns_201_with_location_id_and_international_number() {
    // Scenario 1 (create response without `verified`: BEHAVIOR.md 2.1).
    let u = user();
    let reply = add(Gateway::Default, &u.token, &u, P1);
    reply.assert_status(201);
    let phone = &reply.json()["RAX-AUTH:mobilePhone"];
    let id = phone["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert_eq!(phone["number"], "+1 210-312-4600");
    assert!(
        phone.get("verified").is_none(),
        "create response has no verified: {phone}"
    );
    let location = reply.header("location").expect("Location");
    assert!(
        location.ends_with(&format!(
            "/v2.0/users/{}/RAX-AUTH/multi-factor/mobile-phones/{id}",
            u.id
        )),
        "{location}"
    );
    assert!(location.starts_with("http://"), "{location}");
}

#[test]
fn s2_s3_list_and_get_show_the_unverified_phone() {
    let u = user();
    let id = add_ok(&u, P1);
    let list = listed(&u);
    assert_eq!(
        list,
        vec![json!({"id": id, "number": "+1 210-312-4600", "verified": false})]
    );
    let got = phones::get(&u.token, &u, &id);
    got.assert_status(200);
    assert_eq!(
        got.json(),
        json!({"RAX-AUTH:mobilePhone": {"id": id, "number": "+1 210-312-4600", "verified": false}})
    );
}

#[test]
fn s4_s5_send_then_verify_with_the_pin_from_the_sms() {
    let u = user();
    let (number, e164) = new_phone_number();
    let id = add_ok(&u, &number);
    let reply = send_code(Gateway::Default, &u.token, &u, &id);
    reply.assert_status(202);
    assert!(reply.text.is_empty(), "202 has no body");
    let pin = eventually(Duration::from_secs(5), || sms::last_code_to(&e164))
        .expect("SMS delivered to E.164");
    assert_eq!(pin.len(), 6);
    assert!(pin.bytes().all(|b| b.is_ascii_digit()), "{pin}");
    let reply = verify(Gateway::Default, &u.token, &u, &id, &pin);
    reply.assert_status(204);
    assert!(reply.text.is_empty());
    assert_eq!(
        phones::get(&u.token, &u, &id).json()["RAX-AUTH:mobilePhone"]["verified"],
        true
    );
}

#[test]
fn s6_missing_or_blank_number_is_400() {
    let u = user();
    for body in [
        json!({"RAX-AUTH:mobilePhone": {}}),
        json!({"RAX-AUTH:mobilePhone": {"number": ""}}),
        json!({"RAX-AUTH:mobilePhone": {"number": null}}),
    ] {
        Call::new(
            Gateway::Default,
            "POST",
            &format!("{}/mobile-phones", u.mf()),
        )
        .token(&u.token)
        .json(&body)
        .send()
        .assert_fault(400, "badRequest", Some("Must provide a telephone number"));
    }
    assert!(listed(&u).is_empty(), "nothing written");
}

#[test]
fn s7_s9_invalid_numbers_are_400_and_nothing_is_written() {
    let u = user();
    for number in [
        "abc",
        "1234",
        "+1234567890123456",
        "+1 900-555-0123",
        "512.555.0123 x12",
    ] {
        add(Gateway::Default, &u.token, &u, number).assert_fault(
            400,
            "badRequest",
            Some("The provided phone number is invalid."),
        );
    }
    assert!(listed(&u).is_empty());
}

#[test]
fn s8_a_number_without_plus_is_read_as_us() {
    // Amended: BEHAVIOR.md 3 / DECISIONS.md parse with default region US.
    let u = user();
    let reply = add(Gateway::Default, &u.token, &u, "2103124600");
    reply.assert_status(201);
    assert_eq!(
        reply.json()["RAX-AUTH:mobilePhone"]["number"],
        "+1 210-312-4600"
    );
}

#[test]
fn s10_another_number_replaces_the_phone_and_its_verification() {
    // Amended: DECISIONS.md 8 (replace, new id; old phone and PIN deleted).
    let u = user();
    let (n1, e1) = new_phone_number();
    let first = add_ok(&u, &n1);
    let pin = send_and_read_pin(Gateway::Default, &u.token, &u, &first, &e1);
    verify(Gateway::Default, &u.token, &u, &first, &pin).assert_status(204);
    let (n2, _) = new_phone_number();
    let reply = add(Gateway::Default, &u.token, &u, &n2);
    reply.assert_status(201);
    let second = reply.json()["RAX-AUTH:mobilePhone"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    assert_eq!(
        listed(&u),
        vec![json!({"id": second, "number": n2, "verified": false})]
    );
    phones::get(&u.token, &u, &first).assert_fault(
        404,
        "itemNotFound",
        Some("Mobile phone not found"),
    );
}

#[test]
fn the_same_number_again_returns_the_existing_phone_and_keeps_verification() {
    let u = user();
    let phones::PendingPhone { id, e164, pin } = phones::with_pin(&u);
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_status(204);
    // Another notation of the same number.
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let reply = add(Gateway::Default, &u.token, &u, &digits[1..]);
    reply.assert_status(201);
    assert_eq!(reply.json()["RAX-AUTH:mobilePhone"]["id"], id.as_str());
    assert!(reply.header("location").unwrap().ends_with(&id));
    assert_eq!(listed(&u)[0]["verified"], true);
}

#[test]
fn s11_two_users_adding_one_number_get_their_own_phones() {
    let (u1, u2) = (user(), user());
    let a = add_ok(&u1, P1);
    let b = add_ok(&u2, P1);
    assert_ne!(a, b);
    // Phones are per user: u2 cannot reach u1's phone through its own path.
    phones::get(&u2.token, &u2, &a).assert_fault(
        404,
        "itemNotFound",
        Some("Mobile phone not found"),
    );
}

#[test]
fn s12_s13_malformed_json_and_wrong_roots_are_400() {
    let u = user();
    let path = format!("{}/mobile-phones", u.mf());
    for body in [
        r#"{"RAX-AUTH:mobilePhone":"#,
        r#"{"mobilePhone":{"number":"+1 210-312-4600"}}"#,
        r#"{"RAX-AUTH:mobilePhone":{"number":"+1 210-312-4600"},"extra":{}}"#,
        r#"{"RAX-AUTH:mobilePhone":{"number":"+1 210-312-4600","color":"red"}}"#,
        r#"["RAX-AUTH:mobilePhone"]"#,
        "",
    ] {
        Call::new(Gateway::Default, "POST", &path)
            .token(&u.token)
            .raw("application/json", body.as_bytes())
            .send()
            .assert_fault(400, "badRequest", Some("Invalid json request body"));
    }
    assert!(listed(&u).is_empty());
}

#[test]
fn s14_wrong_or_missing_media_type_is_415() {
    let u = user();
    let body = json!({"RAX-AUTH:mobilePhone": {"number": P1}}).to_string();
    for content_type in ["text/plain", ""] {
        Call::new(
            Gateway::Default,
            "POST",
            &format!("{}/mobile-phones", u.mf()),
        )
        .token(&u.token)
        .raw(content_type, body.as_bytes())
        .send()
        .assert_fault(415, "badMediaType", None);
    }
    // A charset parameter is fine.
    Call::new(
        Gateway::Default,
        "POST",
        &format!("{}/mobile-phones", u.mf()),
    )
    .token(&u.token)
    .raw("application/json; charset=UTF-8", body.as_bytes())
    .send()
    .assert_status(201);
}

#[test]
fn s15_send_to_an_unknown_phone_id_is_404_and_sends_nothing() {
    let u = user();
    let (number, e164) = new_phone_number();
    add_ok(&u, &number);
    send_code(
        Gateway::Default,
        &u.token,
        &u,
        "ffffffffffffffffffffffffffffffff",
    )
    .assert_fault(404, "itemNotFound", Some("The specified device is invalid"));
    assert!(sms::messages_to(&e164).is_empty());
}

#[test]
fn s16_s23_managers_may_send_and_verify_for_their_users_peers_may_not() {
    // Amended: DECISIONS.md (send/verify allowed with precedence, not self-only).
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u1 = create_user("identity:default", Some(&domain));
    let u2 = create_user("identity:default", Some(&domain));
    let (number, e164) = new_phone_number();
    let id = add_ok(&u1, &number);

    send_code(Gateway::Default, &u2.token, &u1, &id).assert_fault(
        403,
        "forbidden",
        Some("Not Authorized"),
    );
    assert!(
        sms::messages_to(&e164).is_empty(),
        "no SMS for a refused send"
    );
    let pin = send_and_read_pin(Gateway::Default, &admin.token, &u1, &id, &e164);
    verify(Gateway::Default, &u2.token, &u1, &id, &pin).assert_fault(
        403,
        "forbidden",
        Some("Not Authorized"),
    );
    verify(Gateway::Default, &admin.token, &u1, &id, &pin).assert_status(204);
    assert_eq!(listed(&u1)[0]["verified"], true);
}

#[test]
fn s17_a_wrong_pin_is_400_and_the_phone_stays_unverified() {
    let u = user();
    let phones::PendingPhone { id, pin, .. } = phones::with_pin(&u);
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    verify(Gateway::Default, &u.token, &u, &id, wrong).assert_fault(
        400,
        "badRequest",
        Some("The provided pin is either invalid or expired."),
    );
    assert_eq!(listed(&u)[0]["verified"], false);
    // The right PIN still works after a wrong one.
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_status(204);
}

#[test]
fn s18_an_expired_pin_is_refused() {
    // The short-TTL gateway issues PINs that live 2 s; its tokens too, so log in there last.
    let u = user();
    let (number, e164) = new_phone_number();
    let id = add_ok(&u, &number);
    let pin = send_and_read_pin(Gateway::ShortTtl, &u.token, &u, &id, &e164);
    std::thread::sleep(Duration::from_millis(2_500));
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_fault(
        400,
        "badRequest",
        Some("The provided pin is either invalid or expired."),
    );
    assert_eq!(listed(&u)[0]["verified"], false);
}

#[test]
fn s19_verifying_before_any_code_was_sent_is_400() {
    let u = user();
    let id = add_ok(&u, P1);
    verify(Gateway::Default, &u.token, &u, &id, "123456").assert_fault(
        400,
        "badRequest",
        Some("The provided pin is either invalid or expired."),
    );
}

#[test]
fn s20_s21_a_verified_phone_refuses_the_pin_again_and_new_sends() {
    let u = user();
    let phones::PendingPhone { id, e164, pin } = phones::with_pin(&u);
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_status(204);
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_fault(
        400,
        "badRequest",
        Some("The provided pin is either invalid or expired."),
    );
    let sent = sms::messages_to(&e164).len();
    send_code(Gateway::Default, &u.token, &u, &id).assert_fault(
        400,
        "badRequest",
        Some("The specified device has already been verified"),
    );
    assert_eq!(sms::messages_to(&e164).len(), sent, "no SMS");
}

#[test]
fn s22_a_missing_or_blank_code_is_400() {
    let u = user();
    let id = add_ok(&u, P1);
    for body in [
        json!({"RAX-AUTH:verificationCode": {}}),
        json!({"RAX-AUTH:verificationCode": {"code": "  "}}),
    ] {
        Call::new(
            Gateway::Default,
            "POST",
            &format!("{}/mobile-phones/{id}/verify", u.mf()),
        )
        .token(&u.token)
        .json(&body)
        .send()
        .assert_fault(400, "badRequest", Some("Must provide a verification code"));
    }
}

#[test]
fn s24_a_new_send_replaces_the_pin() {
    let u = user();
    let (number, e164) = new_phone_number();
    let id = add_ok(&u, &number);
    let first = send_and_read_pin(Gateway::Fast, &u.token, &u, &id, &e164);
    std::thread::sleep(Duration::from_millis(1_100));
    let second = send_and_read_pin(Gateway::Fast, &u.token, &u, &id, &e164);
    if first != second {
        verify(Gateway::Default, &u.token, &u, &id, &first).assert_fault(400, "badRequest", None);
    }
    verify(Gateway::Default, &u.token, &u, &id, &second).assert_status(204);
}

#[test]
fn after_five_wrong_pins_even_the_right_one_is_refused() {
    let u = user();
    let phones::PendingPhone { id, pin, .. } = phones::with_pin(&u);
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        verify(Gateway::Default, &u.token, &u, &id, wrong).assert_fault(400, "badRequest", None);
    }
    verify(Gateway::Default, &u.token, &u, &id, &pin).assert_fault(
        400,
        "badRequest",
        Some("The provided pin is either invalid or expired."),
    );
    assert_eq!(listed(&u)[0]["verified"], false);
}

#[test]
fn s25_get_of_an_unknown_phone_id_is_404() {
    let u = user();
    add_ok(&u, P1);
    phones::get(&u.token, &u, "ffffffffffffffffffffffffffffffff").assert_fault(
        404,
        "itemNotFound",
        Some("Mobile phone not found"),
    );
}

#[test]
fn s26_a_user_without_phone_lists_none() {
    let u = user();
    let reply = phones::list(&u.token, &u);
    reply.assert_status(200);
    assert_eq!(reply.json(), json!({"RAX-AUTH:mobilePhones": []}));
    // The alias route serves the same list.
    let alias = Call::new(
        Gateway::Default,
        "GET",
        &format!("{}/devices/mobile-phones", u.mf()),
    )
    .token(&u.token)
    .send();
    assert_eq!(alias.json(), reply.json());
}

#[test]
fn s27_s31_delete_removes_the_phone_and_unknown_ids_are_404() {
    let u = user();
    let id = add_ok(&u, P1);
    phones::delete(&u.token, &u, "ffffffffffffffffffffffffffffffff").assert_fault(
        404,
        "itemNotFound",
        Some("Mobile phone not found"),
    );
    assert_eq!(listed(&u).len(), 1, "a wrong id deletes nothing");
    let reply = phones::delete(&u.token, &u, &id);
    reply.assert_status(204);
    assert!(reply.text.is_empty());
    assert!(listed(&u).is_empty());
    // s30: nothing left to delete.
    phones::delete(&u.token, &u, &id).assert_fault(
        404,
        "itemNotFound",
        Some("Mobile phone not found"),
    );
    // A new phone can be added afterwards.
    add_ok(&u, P1);
}

#[test]
fn s29_managers_may_delete_their_users_phone_peers_may_not() {
    // Amended: DECISIONS.md (delete allowed with precedence).
    let domain = new_domain();
    let manager = create_user("identity:user-manage", Some(&domain));
    let u1 = create_user("identity:default", Some(&domain));
    let u2 = create_user("identity:default", Some(&domain));
    let id = add_ok(&u1, P1);
    phones::delete(&u2.token, &u1, &id).assert_fault(403, "forbidden", Some("Not Authorized"));
    assert_eq!(listed(&u1).len(), 1);
    phones::delete(&manager.token, &u1, &id).assert_status(204);
    assert!(listed(&u1).is_empty());
}

#[test]
fn no_collection_delete_route() {
    // DECISIONS.md 3: no collection DELETE …/mobile-phones.
    let u = user();
    Call::new(
        Gateway::Default,
        "DELETE",
        &format!("{}/mobile-phones", u.mf()),
    )
    .token(&u.token)
    .send()
    .assert_fault(405, "badMethod", None);
}

#[test]
fn a_second_send_within_the_interval_is_429_with_retry_after_and_no_sms() {
    let u = user();
    let (number, e164) = new_phone_number();
    let id = add_ok(&u, &number);
    send_and_read_pin(Gateway::Default, &u.token, &u, &id, &e164);
    let reply = send_code(Gateway::Default, &u.token, &u, &id);
    reply.assert_fault(429, "overLimit", None);
    let retry: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("integer seconds");
    assert!((1..=30).contains(&retry), "{retry}");
    assert_eq!(sms::messages_to(&e164).len(), 1, "no second SMS");
}

#[test]
fn the_hourly_send_budget_survives_deleting_and_re_adding_the_phone() {
    // DECISIONS.md 7: 5 sends per hour per user and number, kept apart from the phone.
    let u = user();
    let (number, e164) = new_phone_number();
    let mut id = add_ok(&u, &number);
    for i in 0..5 {
        if i == 3 {
            phones::delete(&u.token, &u, &id).assert_status(204);
            id = add_ok(&u, &number);
        }
        send_and_read_pin(Gateway::Fast, &u.token, &u, &id, &e164);
        std::thread::sleep(Duration::from_millis(1_050));
    }
    let reply = send_code(Gateway::Fast, &u.token, &u, &id);
    reply.assert_fault(429, "overLimit", None);
    let retry: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!(
        retry > 3_000,
        "waits for the oldest send to leave the hour: {retry}"
    );
    assert_eq!(sms::messages_to(&e164).len(), 5);
}

#[test]
fn with_sms_mfa_on_the_phone_can_be_neither_replaced_nor_deleted() {
    // BEHAVIOR.md 2.1 / 2.5, DECISIONS.md 8 (checked before the number is parsed).
    let u = user();
    let e164 = mfa::enable_sms(&u);
    let u = mfa::with_token(&u, mfa::login_sms(&u, &e164));
    let id = listed(&u)[0]["id"].as_str().unwrap().to_owned();
    for other in [new_phone_number().0.as_str(), "abc"] {
        add(Gateway::Default, &u.token, &u, other).assert_fault(
            400,
            "badRequest",
            Some("Cannot replace device with multifactor enabled"),
        );
    }
    phones::delete(&u.token, &u, &id).assert_fault(
        400,
        "badRequest",
        Some("Error code: 'MOBP-000'; You can not delete your mobile phone when your account is configured to use SMS multifactor."),
    );
    assert_eq!(listed(&u).len(), 1, "the phone is untouched");
    // The user's representation shows MFA on, state ACTIVE and the factor.
    let user = Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", u.id))
        .token(&u.token)
        .send()
        .json();
    assert_eq!(user["user"]["RAX-AUTH:multiFactorEnabled"], true);
    assert_eq!(user["user"]["RAX-AUTH:multiFactorState"], "ACTIVE");
    assert_eq!(user["user"]["RAX-AUTH:factorType"], "SMS");
}

#[test]
fn phone_operations_on_an_unknown_user_are_404() {
    let admin = create_user("identity:admin", None);
    let ghost = TestUser {
        id: "nosuchuser".into(),
        ..admin.clone()
    };
    add(Gateway::Default, &admin.token, &ghost, P1).assert_fault(
        404,
        "itemNotFound",
        Some("User nosuchuser not found"),
    );
    phones::list(&admin.token, &ghost).assert_fault(404, "itemNotFound", None);
    send_code(
        Gateway::Default,
        &admin.token,
        &ghost,
        "ffffffffffffffffffffffffffffffff",
    )
    .assert_fault(404, "itemNotFound", Some("User nosuchuser not found"));
}
