//! Enforcement (API.md 6.8 as amended; BEHAVIOR.md 1.4, 2.14, 7.6, 7.7, 10 #85-#93, #105-#111;
//! DECISIONS.md 10, 19): user and domain levels at login, SETUP-MFA tokens, who may set what.

use integration_tests::mfa::{enable_sms, login_sms, put, shown};
use integration_tests::*;
use serde_json::json;

const MUST_SETUP: &str = "User must setup multi-factor";
const SCOPE: &str = "The scope of this token does not allow access to this resource";

fn domain_put(token: &str, domain: &str, body: serde_json::Value) -> Reply {
    Call::new(
        Gateway::Default,
        "PUT",
        &format!("/v2.0/RAX-AUTH/domains/{domain}/multi-factor"),
    )
    .token(token)
    .json(&json!({ "RAX-AUTH:multiFactorDomain": body }))
    .send()
}

fn level(value: &str) -> serde_json::Value {
    json!({ "domainMultiFactorEnforcementLevel": value })
}

fn get_domain(token: &str, domain: &str) -> Reply {
    Call::new(
        Gateway::Default,
        "GET",
        &format!("/v2.0/RAX-AUTH/domains/{domain}"),
    )
    .token(token)
    .send()
}

fn setup_login(user: &TestUser) -> Reply {
    Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .json(&json!({"auth": {"RAX-AUTH:scope": "SETUP-MFA", "passwordCredentials": {"username": user.username, "password": user.password}}}))
        .send()
}

#[test]
fn s111_s119_user_level_required_blocks_password_logins_but_revokes_nothing() {
    let domain = new_domain();
    let ua = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    put(
        &ua.token,
        &u,
        json!({"userMultiFactorEnforcementLevel": "REQUIRED"}),
    )
    .assert_status(204);
    // DECISIONS.md 10: user-level changes revoke nothing.
    phones::list(&u.token, &u).assert_status(200);
    login_reply(Gateway::Default, &u.username, &u.password).assert_fault(
        403,
        "forbidden",
        Some(MUST_SETUP),
    );
    assert_eq!(
        shown(&ua, &u)["RAX-AUTH:userMultiFactorEnforcementLevel"],
        "REQUIRED"
    );
    put(
        &ua.token,
        &u,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_status(204);
    login(Gateway::Default, &u.username, &u.password);
}

#[test]
fn s113_s116_setup_mfa_tokens() {
    let domain = new_domain();
    let ua = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let other = create_user("identity:default", Some(&domain));
    // Only when MFA is required (BEHAVIOR.md 7.7).
    setup_login(&u).assert_fault(403, "forbidden", Some("SETUP-MFA SCOPE not supported"));
    put(
        &ua.token,
        &u,
        json!({"userMultiFactorEnforcementLevel": "REQUIRED"}),
    )
    .assert_status(204);
    let reply = setup_login(&u);
    reply.assert_status(200);
    let access = reply.json()["access"].clone();
    assert_eq!(
        access["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD"])
    );
    assert!(access.get("serviceCatalog").is_none());
    let stok = access["token"]["id"].as_str().unwrap().to_owned();
    let scoped = TestUser {
        token: stok.clone(),
        ..u.clone()
    };
    // s115: nothing but its own MFA paths.
    phones::list(&stok, &other).assert_fault(403, "forbidden", Some(SCOPE));
    Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", u.id))
        .token(&stok)
        .send()
        .assert_fault(403, "forbidden", Some(SCOPE));
    put(
        &stok,
        &u,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_fault(403, "forbidden", Some(SCOPE));
    // s114: enrol and enable with it; enabling revokes it (it is password-only).
    let phone = phones::with_pin(&scoped);
    phones::verify(Gateway::Default, &stok, &u, &phone.id, &phone.pin).assert_status(204);
    assert_eq!(
        shown(&ua, &u)["RAX-AUTH:multiFactorEnabled"],
        false,
        "verification alone does not enable"
    );
    put(&stok, &u, json!({"enabled": true})).assert_status(204);
    phones::list(&stok, &u).assert_fault(401, "unauthorized", None);
    assert_eq!(
        login_reply(Gateway::Default, &u.username, &u.password).status,
        401
    );
    // s116: with MFA on, no setup token.
    setup_login(&u).assert_fault(403, "forbidden", Some("SETUP-MFA SCOPE not supported"));
}

#[test]
fn s117_s120_domain_required_revokes_password_tokens_of_users_without_mfa() {
    let domain = new_domain();
    let ua = create_user("identity:user-admin", Some(&domain));
    let u1 = create_user("identity:default", Some(&domain));
    let u2 = create_user("identity:default", Some(&domain));
    let optional = create_user("identity:default", Some(&domain));
    put(
        &ua.token,
        &optional,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_status(204);
    // s117: a user-admin without MFA (and not OPTIONAL) may not.
    domain_put(&ua.token, &domain, level("REQUIRED")).assert_fault(
        403,
        "forbidden",
        Some("You must have Multi-Factor Authentication set as optional or enabled for your profile to enforce Multi-Factor Authentication for the domain"),
    );
    assert!(get_domain(&ua.token, &domain).json()["RAX-AUTH:domain"]
        .get("domainMultiFactorEnforcementLevel")
        .is_none());
    // s118
    let e164 = enable_sms(&ua);
    let mtok = login_sms(&ua, &e164);
    domain_put(&mtok, &domain, level("REQUIRED")).assert_status(204);
    assert_eq!(
        get_domain(&mtok, &domain).json(),
        json!({"RAX-AUTH:domain": {"id": domain, "name": domain, "enabled": true, "domainMultiFactorEnforcementLevel": "REQUIRED"}})
    );
    phones::list(&u2.token, &u2).assert_fault(401, "unauthorized", None);
    phones::list(&optional.token, &optional).assert_status(200);
    phones::list(&mtok, &ua).assert_status(200);
    login_reply(Gateway::Default, &u2.username, &u2.password).assert_fault(
        403,
        "forbidden",
        Some(MUST_SETUP),
    );
    // s119, s126
    put(
        &mtok,
        &u2,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_status(204);
    login(Gateway::Default, &u2.username, &u2.password);
    // Setting the same level again revokes nothing.
    let fresh = login(Gateway::Default, &optional.username, &optional.password);
    domain_put(&mtok, &domain, level("REQUIRED")).assert_status(204);
    phones::list(&fresh, &optional).assert_status(200);
    // s120
    domain_put(&mtok, &domain, level("OPTIONAL")).assert_status(204);
    login(Gateway::Default, &u1.username, &u1.password);
}

#[test]
fn s121_s124_who_may_set_a_domain_level_and_bad_requests() {
    // BEHAVIOR.md 1.4, 10 #85-#89, #111.
    let (d1, d2) = (new_domain(), new_domain());
    let ia = create_user("identity:admin", None);
    let sa = create_user("identity:service-admin", None);
    let ua1 = create_user("identity:user-admin", Some(&d1));
    let um1 = create_user("identity:user-manage", Some(&d1));
    let u1 = create_user("identity:default", Some(&d1));
    let ua2 = create_user("identity:user-admin", Some(&d2));
    put(
        &ua1.token,
        &ua1,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_status(204);
    put(
        &um1.token,
        &um1,
        json!({"userMultiFactorEnforcementLevel": "OPTIONAL"}),
    )
    .assert_status(204);
    domain_put(&ua2.token, &d1, level("OPTIONAL")).assert_fault(
        403,
        "forbidden",
        Some("Not Authorized"),
    );
    domain_put(&u1.token, &d1, level("OPTIONAL")).assert_fault(403, "forbidden", None);
    domain_put(&ua1.token, &d1, level("OPTIONAL")).assert_status(204);
    domain_put(&um1.token, &d1, level("REQUIRED")).assert_status(204);
    domain_put(&ia.token, &d2, level("REQUIRED")).assert_status(204);
    domain_put(&sa.token, &d2, level("OPTIONAL")).assert_status(204);
    domain_put(&ia.token, &d1, level("SOMETIMES")).assert_fault(
        400,
        "badRequest",
        Some("Invalid json request body for value 'SOMETIMES'"),
    );
    domain_put(&ia.token, &d1, json!({})).assert_fault(
        400,
        "badRequest",
        Some("Must provide domain multifactor enforcement level"),
    );
    domain_put(&ia.token, "nosuchdomain", level("REQUIRED")).assert_fault(
        404,
        "itemNotFound",
        Some("Domain with ID nosuchdomain not found."),
    );
    // Reading a domain: admins any, others their own.
    get_domain(&ia.token, &d1).assert_status(200);
    // (u1's password token was revoked when d1 became REQUIRED; ua1 is OPTIONAL, so exempt.)
    phones::list(&u1.token, &u1).assert_fault(401, "unauthorized", None);
    get_domain(&ua1.token, &d1).assert_status(200);
    // ua2's password token went when d2 became REQUIRED; d2 is OPTIONAL again, so log in anew.
    let ua2_token = login(Gateway::Default, &ua2.username, &ua2.password);
    get_domain(&ua2_token, &d1).assert_fault(403, "forbidden", None);
    get_domain(&ia.token, "nosuchdomain").assert_fault(404, "itemNotFound", None);
}
