//! `POST /v2.0/tokens` with password credentials (API.md 5.1, BEHAVIOR.md 7.1, DECISIONS.md 5, 12-14).

use integration_tests::*;
use serde_json::json;
use std::time::Duration;

const BAD_CREDENTIALS: &str =
    "Error code: 'AUTH-004'; Unable to authenticate user with credentials provided.";
const BAD_AUTH_BODY: &str =
    "Invalid request body: unable to parse Auth data. Please review XML or JSON formatting.";

#[test]
fn a_password_login_returns_the_access_body() {
    let domain = new_domain();
    let u = create_user_without_token("identity:user-admin", Some(&domain), false);
    let reply = login_reply(Gateway::Default, &u.username, &u.password);
    reply.assert_status(200);
    assert_eq!(
        reply.header("x-user-name").as_deref(),
        Some(u.username.as_str())
    );
    let access = &reply.json()["access"];
    let token = &access["token"];
    let id = token["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(token["RAX-AUTH:authenticatedBy"], json!(["PASSWORD"]));
    let expires = token["expires"].as_str().unwrap();
    assert!(
        expires.len() == 24 && expires.ends_with('Z') && expires.contains('.'),
        "{expires}"
    );
    assert_eq!(
        access["user"],
        json!({
            "id": u.id,
            "name": u.username,
            // Issue 15: what real clients read (tests/tests/identity.rs has the details).
            "email": "",
            "RAX-AUTH:defaultRegion": "ORD",
            "RAX-AUTH:multiFactorEnabled": false,
            "roles": [
                {"id": "3", "name": "identity:user-admin", "description": "User Admin Role."},
                {"id": "11", "name": "tenant:default", "description": "Access to the tenant.", "tenantId": domain},
            ],
            "RAX-AUTH:domainId": domain,
        })
    );
    assert_eq!(
        access["token"]["tenant"],
        json!({"id": domain, "name": domain})
    );
    assert!(!access["serviceCatalog"].as_array().unwrap().is_empty());
    // The token works.
    Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", u.id))
        .token(id)
        .send()
        .assert_status(200);
}

#[test]
fn usernames_are_case_insensitive() {
    let u = create_user_without_token("identity:default", Some(&new_domain()), false);
    login(Gateway::Default, &u.username.to_uppercase(), &u.password);
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_401() {
    let u = create_user_without_token("identity:default", Some(&new_domain()), false);
    let wrong = login_reply(Gateway::Default, &u.username, "not-the-password");
    wrong.assert_fault(401, "unauthorized", Some(BAD_CREDENTIALS));
    assert!(wrong.header("www-authenticate").is_none());
    let unknown = login_reply(
        Gateway::Default,
        &format!("nobody-{}", unique(4)),
        "whatever",
    );
    unknown.assert_fault(401, "unauthorized", Some(BAD_CREDENTIALS));
    assert_eq!(wrong.text, unknown.text);
}

#[test]
fn a_disabled_user_gets_403_user_disabled_after_the_password_check() {
    let u = create_user_without_token("identity:default", Some(&new_domain()), true);
    login_reply(Gateway::Default, &u.username, &u.password).assert_fault(
        403,
        "userDisabled",
        Some(&format!("User '{}' is disabled.", u.username)),
    );
    login_reply(Gateway::Default, &u.username, "wrong").assert_fault(401, "unauthorized", None);
}

#[test]
fn malformed_bodies_are_400_and_wrong_media_types_415() {
    let call = |ct: &str, body: &str| {
        Call::new(Gateway::Default, "POST", "/v2.0/tokens")
            .raw(ct, body.as_bytes())
            .send()
    };
    call("application/json", r#"{"auth":"#).assert_fault(
        400,
        "badRequest",
        Some("Invalid json request body"),
    );
    for body in [
        r#"{"auth":{}}"#,
        r#"{"credentials":{"passwordCredentials":{"username":"a","password":"b"}}}"#,
        r#"{"auth":{"passwordCredentials":{"username":"a"}}}"#,
        r#"{"auth":{"passwordCredentials":{"username":"","password":"b"}}}"#,
        r#"{"auth":{"RAX-KSKEY:apiKeyCredentials":{"username":"a"}}}"#,
        r#"{"auth":{"token":{}}}"#,
        r#"{"auth":{"token":{"id":"t"},"passwordCredentials":{"username":"a","password":"b"}}}"#,
    ] {
        call("application/json", body).assert_fault(400, "badRequest", Some(BAD_AUTH_BODY));
    }
    // API keys are a credential since issue 15: an unknown one is the password's 401.
    call(
        "application/json",
        r#"{"auth":{"RAX-KSKEY:apiKeyCredentials":{"username":"a","apiKey":"k"}}}"#,
    )
    .assert_fault(401, "unauthorized", None);
    call("application/json", r#"{"auth":{"tenantId":"1","tenantName":"t","passwordCredentials":{"username":"a","password":"b"}}}"#)
        .assert_fault(400, "badRequest", Some("Invalid request. Specify tenantId OR tenantName, not both."));
    call(
        "text/plain",
        r#"{"auth":{"passwordCredentials":{"username":"a","password":"b"}}}"#,
    )
    .assert_fault(415, "badMediaType", None);
}

#[test]
fn missing_unknown_and_expired_tokens_are_401() {
    let u = create_user("identity:default", Some(&new_domain()));
    let path = format!("{}/mobile-phones", u.mf());
    let message =
        "No valid token provided. Please use the 'X-Auth-Token' header with a valid token.";
    Call::new(Gateway::Default, "GET", &path)
        .send()
        .assert_fault(401, "unauthorized", Some(message));
    Call::new(Gateway::Default, "GET", &path)
        .token("bogus")
        .send()
        .assert_fault(401, "unauthorized", Some(message));
    Call::new(Gateway::Default, "GET", &path)
        .token(&u.token.to_uppercase())
        .send()
        .assert_fault(401, "unauthorized", Some(message));
    // Tokens issued by the short-TTL gateway live 2 s; expiry is checked in code.
    let short = login(Gateway::ShortTtl, &u.username, &u.password);
    Call::new(Gateway::Default, "GET", &path)
        .token(&short)
        .send()
        .assert_status(200);
    std::thread::sleep(Duration::from_millis(2_500));
    Call::new(Gateway::Default, "GET", &path)
        .token(&short)
        .send()
        .assert_fault(401, "unauthorized", Some(message));
}

#[test]
fn disabling_a_user_revokes_its_tokens_and_refuses_its_password() {
    // DECISIONS.md 13.
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let path = format!("{}/mobile-phones", u.mf());
    Call::new(Gateway::Default, "GET", &path)
        .token(&u.token)
        .send()
        .assert_status(200);
    disable_user(&u);
    Call::new(Gateway::Default, "GET", &path)
        .token(&u.token)
        .send()
        .assert_fault(401, "unauthorized", None);
    login_reply(Gateway::Default, &u.username, &u.password).assert_fault(
        403,
        "userDisabled",
        Some(&format!("User '{}' is disabled.", u.username)),
    );
    // An admin still sees the disabled user.
    let admin = create_user("identity:user-admin", Some(&domain));
    let shown = Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", u.id))
        .token(&admin.token)
        .send();
    assert_eq!(shown.json()["user"]["enabled"], false);
    // Re-enabled, the password works again but the old token stays revoked.
    let out = mfa_admin(&["enable-user", "--username", &u.username]);
    assert!(out.status.success());
    login(Gateway::Default, &u.username, &u.password);
    Call::new(Gateway::Default, "GET", &path)
        .token(&u.token)
        .send()
        .assert_fault(401, "unauthorized", None);
}
