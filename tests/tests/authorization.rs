//! Who may act on whom (BEHAVIOR.md 1.3 table, API.md 6.7 as amended by DECISIONS.md), through
//! every phone operation and get-user.

use integration_tests::phones::{add, add_ok, send_code, verify};
use integration_tests::*;

struct Cast {
    sa: TestUser,
    ia: TestUser,
    ua1: TestUser,
    um1: TestUser,
    u1: TestUser,
    u2: TestUser,
    ua2: TestUser,
    u3: TestUser,
}

fn cast() -> Cast {
    let (d1, d2) = (new_domain(), new_domain());
    Cast {
        sa: create_user("identity:service-admin", None),
        ia: create_user("identity:admin", None),
        ua1: create_user("identity:user-admin", Some(&d1)),
        um1: create_user("identity:user-manage", Some(&d1)),
        u1: create_user("identity:default", Some(&d1)),
        u2: create_user("identity:default", Some(&d1)),
        ua2: create_user("identity:user-admin", Some(&d2)),
        u3: create_user("identity:default", Some(&d2)),
    }
}

fn list_status(caller: &TestUser, target: &TestUser) -> u16 {
    phones::list(&caller.token, target).status
}

#[test]
fn the_precedence_matrix_on_list_phones() {
    let c = cast();
    let other_sa = create_user("identity:service-admin", None);
    let other_ia = create_user("identity:admin", None);
    let um1b = create_user("identity:user-manage", c.ua1.domain.as_deref());
    let ua1b = create_user("identity:user-admin", c.ua1.domain.as_deref());
    #[rustfmt::skip]
    let cases: Vec<(&TestUser, &TestUser, u16, &str)> = vec![
        (&c.u2, &c.u1, 403, "98: default user on a peer"),
        (&c.ua1, &c.u1, 200, "99: user-admin on its sub-user"),
        (&c.um1, &c.u1, 200, "100: user-manager on a sub-user"),
        (&c.um1, &c.ua1, 403, "100: user-manager on its user-admin"),
        (&c.ua2, &c.u1, 403, "101: user-admin of another domain"),
        (&c.ia, &c.ua1, 200, "102: admin on a user-admin"),
        (&c.ia, &c.sa, 403, "102: admin on a service-admin"),
        (&c.sa, &c.ia, 200, "102: service-admin on an admin"),
        (&c.sa, &other_sa, 403, "service-admin on another service-admin"),
        (&c.ia, &other_ia, 403, "admin on another admin"),
        (&c.ia, &c.u3, 200, "admin on any domain"),
        (&c.ua1, &ua1b, 403, "user-admin on a second user-admin of its domain"),
        (&c.ua1, &c.um1, 200, "user-admin on a user-manager"),
        (&c.um1, &um1b, 200, "user-managers on each other"),
        (&c.um1, &c.u3, 403, "user-manager on another domain"),
        (&c.u1, &c.um1, 403, "9: default user on a user-manager"),
        (&c.u1, &c.u1, 200, "9: self"),
        (&c.sa, &c.sa, 200, "self, service-admin"),
    ];
    for (caller, target, want, what) in cases {
        assert_eq!(list_status(caller, target), want, "{what}");
    }
}

#[test]
fn every_phone_operation_applies_precedence() {
    let c = cast();
    let (number, e164) = new_phone_number();
    // Add: a manager may add for its user (104); a peer and another domain may not.
    add(Gateway::Default, &c.u2.token, &c.u1, &number).assert_fault(
        403,
        "forbidden",
        Some("Not Authorized"),
    );
    add(Gateway::Default, &c.ua2.token, &c.u1, &number).assert_fault(403, "forbidden", None);
    let id = add_ok(&c.u1, &number);
    add(Gateway::Default, &c.ua1.token, &c.u1, &number).assert_status(201);
    // Get.
    phones::get(&c.u2.token, &c.u1, &id).assert_fault(403, "forbidden", None);
    phones::get(&c.ia.token, &c.u1, &id).assert_status(200);
    // Send (11: a default user on itself, not on a peer).
    send_code(Gateway::Default, &c.u2.token, &c.u1, &id).assert_fault(403, "forbidden", None);
    assert!(sms::messages_to(&e164).is_empty());
    let pin = phones::send_and_read_pin(Gateway::Default, &c.u1.token, &c.u1, &id, &e164);
    // Verify (10: allowed on self, refused on a higher role).
    verify(Gateway::Default, &c.u3.token, &c.u1, &id, &pin).assert_fault(403, "forbidden", None);
    verify(Gateway::Default, &c.um1.token, &c.u1, &id, &pin).assert_status(204);
    // Delete.
    phones::delete(&c.ua2.token, &c.u1, &id).assert_fault(403, "forbidden", None);
    phones::delete(&c.sa.token, &c.u1, &id).assert_status(204);
    // Get user.
    Call::new(
        Gateway::Default,
        "GET",
        &format!("/v2.0/users/{}", c.ua1.id),
    )
    .token(&c.um1.token)
    .send()
    .assert_fault(403, "forbidden", None);
    Call::new(
        Gateway::Default,
        "GET",
        &format!("/v2.0/users/{}", c.um1.id),
    )
    .token(&c.ua1.token)
    .send()
    .assert_status(200);
}

#[test]
fn s12_a_service_admin_adds_to_itself_but_not_to_another_service_admin() {
    let sa = create_user("identity:service-admin", None);
    let other = create_user("identity:service-admin", None);
    add(Gateway::Default, &sa.token, &sa, "+1 210-312-4600").assert_status(201);
    add(Gateway::Default, &sa.token, &other, "+1 210-312-4600").assert_fault(
        403,
        "forbidden",
        None,
    );
    assert!(phones::listed(&other).is_empty());
}
