//! `GET /v2.0/users/{userId}` with the MFA fields of BEHAVIOR.md 8 (DECISIONS.md 15).

use integration_tests::*;
use serde_json::json;

#[test]
fn a_user_without_mfa_shows_multi_factor_disabled_and_no_state() {
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let reply = Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", u.id))
        .token(&admin.token)
        .send();
    reply.assert_status(200);
    assert_eq!(
        reply.json(),
        json!({"user": {
            "id": u.id,
            "username": u.username,
            "enabled": true,
            "RAX-AUTH:domainId": domain,
            "RAX-AUTH:multiFactorEnabled": false,
        }})
    );
}

#[test]
fn unknown_users_are_404_for_every_caller_and_peers_are_403() {
    // DECISIONS.md: unknown target user id is 404 itemNotFound for every caller.
    let domain = new_domain();
    let u1 = create_user("identity:default", Some(&domain));
    let u2 = create_user("identity:default", Some(&domain));
    let admin = create_user("identity:admin", None);
    for caller in [&u1, &admin] {
        Call::new(Gateway::Default, "GET", "/v2.0/users/nosuchuser")
            .token(&caller.token)
            .send()
            .assert_fault(404, "itemNotFound", Some("User nosuchuser not found"));
    }
    Call::new(Gateway::Default, "GET", &format!("/v2.0/users/{}", u2.id))
        .token(&u1.token)
        .send()
        .assert_fault(403, "forbidden", Some("Not Authorized"));
}
