//! `PUT` and `DELETE …/RAX-AUTH/multi-factor` (API.md 6.3, 6.4, 6.7 as amended; BEHAVIOR.md
//! 2.12, 2.15, 10 #2-#8, #32-#47, #53, #94, #110): what may be changed, by whom, and what it does.

use integration_tests::mfa::{enable_otp, enable_sms, login_sms, put, shown};
use integration_tests::*;
use serde_json::json;

fn domain_users() -> (TestUser, TestUser) {
    let domain = new_domain();
    (
        create_user("identity:user-admin", Some(&domain)),
        create_user("identity:default", Some(&domain)),
    )
}

fn delete_mfa(token: &str, target: &TestUser) -> Reply {
    Call::new(Gateway::Default, "DELETE", &target.mf())
        .token(token)
        .send()
}

#[test]
fn s44_s45_enabling_needs_a_verified_device() {
    let (_, u) = domain_users();
    put(&u.token, &u, json!({"enabled": true})).assert_fault(
        400,
        "badRequest",
        Some("User not associated with a multifactor device"),
    );
    let phone = phones::with_pin(&u);
    put(&u.token, &u, json!({"enabled": true})).assert_fault(
        400,
        "badRequest",
        Some("Device not verified"),
    );
    put(&u.token, &u, json!({"enabled": true, "factorType": "SMS"})).assert_fault(
        400,
        "badRequest",
        Some("User doesn't have a verified phone."),
    );
    put(&u.token, &u, json!({"enabled": true, "factorType": "OTP"})).assert_fault(
        400,
        "badRequest",
        Some("User doesn't have a verified OTP device."),
    );
    // BEHAVIOR.md 10 #43: the pending PIN survives the refusal.
    phones::verify(Gateway::Default, &u.token, &u, &phone.id, &phone.pin).assert_status(204);
}

#[test]
fn s46_disabling_keeps_the_phone_and_restores_password_logins() {
    let (admin, u) = domain_users();
    let e164 = enable_sms(&u);
    let token = login_sms(&u, &e164);
    put(&token, &u, json!({"enabled": false})).assert_status(204);
    let user = shown(&admin, &u);
    assert_eq!(user["RAX-AUTH:multiFactorEnabled"], false);
    assert!(
        user.get("RAX-AUTH:multiFactorState").is_none()
            && user.get("RAX-AUTH:factorType").is_none()
    );
    assert_eq!(
        phones::listed(&TestUser {
            token: token.clone(),
            ..u.clone()
        })
        .len(),
        1,
        "phone kept"
    );
    let ok = login_reply(Gateway::Default, &u.username, &u.password);
    assert_eq!(
        ok.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD"])
    );
    // BEHAVIOR.md 10 #41, #42: disabling again is a no-op; enabling again works.
    put(&token, &u, json!({"enabled": false})).assert_status(204);
    put(&token, &u, json!({"enabled": true})).assert_status(204);
    assert_eq!(shown(&admin, &u)["RAX-AUTH:multiFactorEnabled"], true);
}

#[test]
fn s47_s50_body_rules() {
    let (admin, u) = domain_users();
    // BEHAVIOR.md 2.12: nothing set is a no-op.
    put(&u.token, &u, json!({})).assert_status(204);
    put(&admin.token, &u, json!({"enabled": true, "unlock": true})).assert_fault(
        400,
        "badRequest",
        Some("Cannot change other settings while setting multi factor."),
    );
    put(&u.token, &u, json!({"enabled": "yes"})).assert_fault(
        400,
        "badRequest",
        Some("Invalid json request body"),
    );
    put(&u.token, &u, json!({"enabled": true, "color": "red"})).assert_fault(
        400,
        "badRequest",
        Some("Invalid json request body"),
    );
    put(&u.token, &u, json!({"factorType": "EMAIL"})).assert_fault(
        400,
        "badRequest",
        Some("Invalid json request body for value 'EMAIL'"),
    );
    put(&u.token, &u, json!({"factorType": "otp"})).assert_fault(400, "badRequest", None);
    put(&u.token, &u, json!({"factorType": "SMS"})).assert_fault(
        400,
        "badRequest",
        Some("Can only set factor type when MFA is already enabled or while enabling MFA"),
    );
    // DECISIONS.md: enabled:false with factorType is a 400, never a 500.
    put(&u.token, &u, json!({"enabled": false, "factorType": "SMS"})).assert_fault(
        400,
        "badRequest",
        Some("Cannot change other settings while disabling multi factor."),
    );
    // Self-unlock is refused before the combination rules are looked at (BEHAVIOR.md 2.12 order).
    put(
        &u.token,
        &u,
        json!({"unlock": true, "userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_fault(403, "forbidden", None);
    put(
        &admin.token,
        &u,
        json!({"unlock": true, "userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_fault(
        400,
        "badRequest",
        Some("Cannot change other settings while unlocking multi factor."),
    );
    // s50: booleans as strings.
    let phone = phones::with_pin(&u);
    phones::verify(Gateway::Default, &u.token, &u, &phone.id, &phone.pin).assert_status(204);
    put(&u.token, &u, json!({"enabled": "true"})).assert_status(204);
}

#[test]
fn s69_s73_choosing_the_factor() {
    let (admin, u) = domain_users();
    let e164 = enable_sms(&u);
    let token = login_sms(&u, &e164);
    let u = TestUser { token, ..u };
    put(&u.token, &u, json!({"factorType": "OTP"})).assert_fault(
        400,
        "badRequest",
        Some("User doesn't have a verified OTP device."),
    );
    otp::enrolled(&u, "app");
    // Off, with both kinds verified: the factor must be named (BEHAVIOR.md 11.8).
    put(&u.token, &u, json!({"enabled": false})).assert_status(204);
    put(&u.token, &u, json!({"enabled": true})).assert_fault(
        400,
        "badRequest",
        Some(
            "Must specify multi-factor authentication type to enable multi-factor authentication.",
        ),
    );
    put(&u.token, &u, json!({"enabled": true, "factorType": "OTP"})).assert_status(204);
    assert_eq!(shown(&admin, &u)["RAX-AUTH:factorType"], "OTP");
}

#[test]
fn s51_a_required_user_may_still_disable() {
    // BEHAVIOR.md 2.12 / 11.8 (API.md's 400 not adopted).
    let (admin, u) = domain_users();
    let e164 = enable_sms(&u);
    let token = login_sms(&u, &e164);
    put(
        &admin.token,
        &u,
        json!({"userMultiFactorEnforcementLevel": "REQUIRED"}),
    )
    .assert_status(204);
    put(&token, &u, json!({"enabled": false})).assert_status(204);
}

#[test]
fn s106_removing_mfa_deletes_every_device() {
    let (admin, u) = domain_users();
    let e164 = enable_sms(&u);
    let token = login_sms(&u, &e164);
    let u = TestUser { token, ..u };
    otp::enrolled(&u, "app");
    delete_mfa(&u.token, &u).assert_status(204);
    assert!(phones::listed(&u).is_empty());
    assert!(otp::listed(&u).is_empty());
    assert_eq!(shown(&admin, &u)["RAX-AUTH:multiFactorEnabled"], false);
    // Always 204, also with nothing to remove; and the phone can be enrolled again (#24).
    delete_mfa(&u.token, &u).assert_status(204);
    enable_sms(&TestUser {
        token: login(Gateway::Default, &u.username, &u.password),
        ..u.clone()
    });
}

#[test]
fn who_may_enable_disable_switch_and_remove() {
    // BEHAVIOR.md 10 #2-#8; API.md 6.7 #105; DECISIONS.md: factorType-only is checked too.
    let (d1, d2) = (new_domain(), new_domain());
    let sa = create_user("identity:service-admin", None);
    let sa2 = create_user("identity:service-admin", None);
    let ia = create_user("identity:admin", None);
    let ia2 = create_user("identity:admin", None);
    let ua1 = create_user("identity:user-admin", Some(&d1));
    let ua1b = create_user("identity:user-admin", Some(&d1));
    let um1 = create_user("identity:user-manage", Some(&d1));
    let um1b = create_user("identity:user-manage", Some(&d1));
    let du1 = create_user("identity:default", Some(&d1));
    let du1b = create_user("identity:default", Some(&d1));
    let ua2 = create_user("identity:user-admin", Some(&d2));
    let du2 = create_user("identity:default", Some(&d2));
    let off = json!({"enabled": false});
    #[rustfmt::skip]
    let cases: Vec<(&TestUser, &TestUser, u16)> = vec![
        (&sa, &sa2, 403), (&sa, &ia, 204), (&sa, &du2, 204),
        (&ia, &sa, 403), (&ia, &ia2, 403), (&ia, &ua2, 204),
        (&ua1, &ua2, 403), (&ua1, &um1, 204), (&ua1, &du1, 204), (&ua1, &ua1b, 403),
        (&um1, &um1b, 204), (&um1, &ua1, 403), (&um1, &du2, 403),
        (&du1, &du1, 204), (&du1, &du1b, 403),
    ];
    for (caller, target, want) in cases {
        assert_eq!(
            put(&caller.token, target, off.clone()).status,
            want,
            "{} on {}",
            caller.username,
            target.username
        );
    }
    put(&du1b.token, &du1, json!({"factorType": "SMS"})).assert_fault(
        403,
        "forbidden",
        Some("Not Authorized"),
    );
    put(&du1b.token, &du1, json!({})).assert_fault(403, "forbidden", None);
    // DELETE (BEHAVIOR.md 10 #8, API.md #105).
    assert_eq!(delete_mfa(&um1.token, &du1).status, 204);
    assert_eq!(delete_mfa(&um1.token, &du2).status, 403);
    assert_eq!(delete_mfa(&ua1.token, &um1).status, 204);
    assert_eq!(delete_mfa(&um1.token, &ua1).status, 403);
    assert_eq!(delete_mfa(&ia.token, &ghost(&ia)).status, 404);
}

fn ghost(like: &TestUser) -> TestUser {
    TestUser {
        id: "nosuchuser".into(),
        ..like.clone()
    }
}

#[test]
fn who_may_set_a_users_enforcement_level() {
    // BEHAVIOR.md 1.4, 10 #110; API.md #107, #112.
    let domain = new_domain();
    let sa = create_user("identity:service-admin", None);
    let ia = create_user("identity:admin", None);
    let ua = create_user("identity:user-admin", Some(&domain));
    let um = create_user("identity:user-manage", Some(&domain));
    let du = create_user("identity:default", Some(&domain));
    let level = json!({"userMultiFactorEnforcementLevel": "OPTIONAL"});
    #[rustfmt::skip]
    let cases: Vec<(&TestUser, &TestUser, u16)> = vec![
        (&du, &du, 403), (&sa, &sa, 403), (&ia, &ia, 403), (&ua, &ua, 204), (&um, &um, 204),
        (&um, &ua, 204), (&ua, &du, 204), (&ia, &ua, 204), (&du, &um, 403),
    ];
    for (caller, target, want) in cases {
        assert_eq!(
            put(&caller.token, target, level.clone()).status,
            want,
            "{} on {}",
            caller.username,
            target.username
        );
    }
    put(
        &ua.token,
        &du,
        json!({"userMultiFactorEnforcementLevel": "MANDATORY"}),
    )
    .assert_fault(400, "badRequest", None);
    put(
        &ua.token,
        &du,
        json!({"userMultiFactorEnforcementLevel": "REQUIRED"}),
    )
    .assert_status(204);
    assert_eq!(
        shown(&ua, &du)["RAX-AUTH:userMultiFactorEnforcementLevel"],
        "REQUIRED"
    );
}

#[test]
fn s110_get_on_the_settings_path_is_405() {
    let (_, u) = domain_users();
    Call::new(Gateway::Default, "GET", &u.mf())
        .token(&u.token)
        .send()
        .assert_fault(405, "badMethod", None);
}

#[test]
fn enabling_otp_with_a_verified_device() {
    let (admin, u) = domain_users();
    enable_otp(&u);
    let user = shown(&admin, &u);
    assert_eq!(
        (
            user["RAX-AUTH:multiFactorEnabled"].clone(),
            user["RAX-AUTH:factorType"].clone()
        ),
        (json!(true), json!("OTP"))
    );
}
