//! Unknown paths and methods answer in the fault format (DECISIONS.md 3, API.md 1.1).

use integration_tests::*;

#[test]
fn an_unknown_path_is_404_item_not_found() {
    for path in [
        "/v2.0/nothing",
        "/v2.0/users/u1/RAX-AUTH/multifactor/mobile-phones",
        "/",
    ] {
        Call::new(Gateway::Default, "GET", path)
            .send()
            .assert_fault(404, "itemNotFound", None);
    }
}

#[test]
fn a_known_path_with_another_method_is_405_bad_method() {
    let u = create_user("identity:default", Some(&new_domain()));
    Call::new(
        Gateway::Default,
        "PATCH",
        &format!("{}/mobile-phones", u.mf()),
    )
    .token(&u.token)
    .send()
    .assert_fault(405, "badMethod", None);
    Call::new(Gateway::Default, "GET", "/v2.0/tokens")
        .send()
        .assert_fault(405, "badMethod", None);
}
