//! The identity endpoint around MFA (issue 15): the login answer's tenant, catalog and user
//! fields, tenant scoping, tenants, API keys, token login, token validation and revocation.

use integration_tests::mfa::{enable_otp, login_otp, put};
use integration_tests::*;
use serde_json::{json, Value};

fn auth(body: Value) -> Reply {
    Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .json(&json!({ "auth": body }))
        .send()
}

fn password(user: &TestUser) -> Value {
    json!({"passwordCredentials": {"username": user.username, "password": user.password}})
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

fn validate(caller: &str, token: &str, belongs_to: Option<&str>) -> Reply {
    let query = belongs_to
        .map(|t| format!("?belongsTo={t}"))
        .unwrap_or_default();
    Call::new(
        Gateway::Default,
        "GET",
        &format!("/v2.0/tokens/{token}{query}"),
    )
    .token(caller)
    .send()
}

fn add_tenant(domain: &str, id: &str, name: &str) {
    let out = mfa_admin(&["add-tenant", "--domain", domain, "--id", id, "--name", name]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn reset_api_key(caller: &str, user: &TestUser) -> Reply {
    Call::new(
        Gateway::Default,
        "POST",
        &format!(
            "/v2.0/users/{}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials/RAX-AUTH/reset",
            user.id
        ),
    )
    .token(caller)
    .send()
}

fn api_key_path(user: &TestUser) -> String {
    format!(
        "/v2.0/users/{}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials",
        user.id
    )
}

fn new_api_key(user: &TestUser) -> String {
    let reply = reset_api_key(&user.token, user);
    reply.assert_status(200);
    reply.json()["RAX-KSKEY:apiKeyCredentials"]["apiKey"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn api_key_login(user: &TestUser, key: &str) -> Reply {
    auth(json!({"RAX-KSKEY:apiKeyCredentials": {"username": user.username, "apiKey": key}}))
}

#[test]
fn the_login_answer_has_the_tenant_the_catalog_and_the_user_fields_clients_read() {
    let domain = new_domain();
    let u = create_user("identity:user-admin", Some(&domain));
    let reply = auth(password(&u));
    reply.assert_status(200);
    assert_eq!(
        reply.header("x-tenant-id").as_deref(),
        Some(domain.as_str())
    );
    let access = &reply.json()["access"];
    assert_eq!(
        access["token"]["tenant"],
        json!({"id": domain, "name": domain})
    );
    assert_eq!(
        access["user"]["email"], "",
        "no e-mail given: empty, never absent"
    );
    assert_eq!(
        access["user"]["RAX-AUTH:defaultRegion"], "ORD",
        "the catalog's default region"
    );
    let roles = access["user"]["roles"].as_array().unwrap();
    assert!(roles.contains(
        &json!({"id": "3", "name": "identity:user-admin", "description": "User Admin Role."})
    ));
    assert!(roles.contains(&json!({"id": "11", "name": "tenant:default", "description": "Access to the tenant.", "tenantId": domain})));
    // scripts/catalog.local.json, filled in for the tenant.
    let compute = access["serviceCatalog"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "compute")
        .expect("compute in the catalog");
    assert_eq!(
        compute["endpoints"][0],
        json!({"region": "ORD", "tenantId": domain,
               "publicURL": format!("https://ord.servers.example.com/v2/{domain}"),
               "internalURL": format!("https://ord.servers.internal.example.com/v2/{domain}")})
    );
    // A user created with an e-mail and a region of its own.
    let (name, pw) = (format!("u{}", unique(6)), format!("Pw-{}", unique(8)));
    let out = mfa_admin(&[
        "create-user",
        "--username",
        &name,
        "--password",
        &pw,
        "--domain",
        &domain,
        "--role",
        "identity:default",
        "--email",
        "jq@example.com",
        "--default-region",
        "DFW",
    ]);
    assert!(out.status.success());
    let user = &login_reply(Gateway::Default, &name, &pw).json()["access"]["user"];
    assert_eq!(user["email"], "jq@example.com");
    assert_eq!(user["RAX-AUTH:defaultRegion"], "DFW");
}

#[test]
fn a_login_may_name_a_tenant_of_its_user_and_no_other() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let files = format!("files-{}", unique(4));
    add_tenant(&domain, &files, &format!("Files {files}"));
    let by_id = auth(with(password(&u), "tenantId", json!(files)));
    by_id.assert_status(200);
    assert_eq!(
        by_id.json()["access"]["token"]["tenant"]["id"],
        json!(files)
    );
    let url = &by_id.json()["access"]["serviceCatalog"][0]["endpoints"][0]["publicURL"];
    assert!(url.as_str().unwrap().ends_with(&files), "{url}");
    let by_name = auth(with(
        password(&u),
        "tenantName",
        json!(format!("Files {files}")),
    ));
    assert_eq!(
        by_name.json()["access"]["token"]["tenant"]["id"],
        json!(files)
    );
    // Another domain's tenant, and an unknown one: 401 in the original's words.
    let other = new_domain();
    create_user("identity:default", Some(&other));
    for foreign in [other.as_str(), "nosuchtenant"] {
        auth(with(password(&u), "tenantId", json!(foreign))).assert_fault(
            401,
            "unauthorized",
            Some(&format!(
                "Tenant with Name/Id: '{foreign}' is not valid for User '{}' (id: '{}')",
                u.username, u.id
            )),
        );
    }
    auth(with(
        with(password(&u), "tenantId", json!(files)),
        "tenantName",
        json!("x"),
    ))
    .assert_fault(
        400,
        "badRequest",
        Some("Invalid request. Specify tenantId OR tenantName, not both."),
    );
    // GET /v2.0/tenants: the default tenant first, then the added one.
    let tenants = Call::new(Gateway::Default, "GET", "/v2.0/tenants")
        .token(&u.token)
        .send();
    tenants.assert_status(200);
    assert_eq!(
        tenants.json(),
        json!({"tenants": [
            {"id": domain, "name": domain, "enabled": true},
            {"id": files, "name": format!("Files {files}"), "enabled": true}],
            "tenants_links": []})
    );
    // A tenant id may not be a domain's, nor be taken twice.
    let out = mfa_admin(&["add-tenant", "--domain", &domain, "--id", &other]);
    assert!(!out.status.success());
    let out = mfa_admin(&["add-tenant", "--domain", &other, "--id", &files]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("taken"),
        "{out:?}"
    );
}

#[test]
fn a_token_login_rescopes_a_live_token_and_keeps_how_and_until_when() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let files = format!("files-{}", unique(4));
    add_tenant(&domain, &files, &files);
    let first = auth(password(&u)).json()["access"]["token"].clone();
    let first_id = first["id"].as_str().unwrap().to_owned();
    let rescoped = auth(json!({"token": {"id": first_id}, "tenantId": files}));
    rescoped.assert_status(200);
    let token = &rescoped.json()["access"]["token"];
    assert_eq!(token["tenant"]["id"], json!(files));
    assert_eq!(
        token["expires"], first["expires"],
        "no longer than the original"
    );
    assert_eq!(token["RAX-AUTH:authenticatedBy"], json!(["PASSWORD"]));
    assert_ne!(token["id"], first["id"]);
    // rackspaceauth sends a null tenant when it names none.
    auth(json!({"token": {"id": first_id}, "tenantId": null})).assert_status(200);
    // Dead tokens and session ids get nothing.
    auth(json!({"token": {"id": "0123456789abcdef0123456789abcdef"}})).assert_fault(
        401,
        "unauthorized",
        Some("Token not authenticated."),
    );
    // Revoked with the original: disabling the user kills both.
    let second = token["id"].as_str().unwrap().to_owned();
    disable_user(&u);
    let admin = create_user("identity:admin", None);
    validate(&admin.token, &second, None).assert_fault(
        404,
        "itemNotFound",
        Some("Token not found."),
    );
}

#[test]
fn an_mfa_token_rescoped_keeps_its_second_factor() {
    let u = create_user("identity:default", Some(&new_domain()));
    let key_uri = enable_otp(&u);
    let mfa_token = login_otp(&u, &key_uri);
    let rescoped = auth(json!({"token": {"id": mfa_token}}));
    assert_eq!(
        rescoped.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "OTPPASSCODE"])
    );
}

#[test]
fn validation_is_for_admins_validators_and_the_token_itself() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let other = create_user("identity:default", Some(&domain));
    let admin = create_user("identity:admin", None);
    let (name, pw) = (format!("svc{}", unique(6)), format!("Pw-{}", unique(8)));
    let out = mfa_admin(&[
        "create-user",
        "--username",
        &name,
        "--password",
        &pw,
        "--domain",
        &domain,
        "--role",
        "identity:default",
        "--role",
        "identity:validate-token",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let validator = login(Gateway::Default, &name, &pw);
    for caller in [&admin.token, &validator, &u.token] {
        let reply = validate(caller, &u.token, None);
        reply.assert_status(200);
        let access = reply.json()["access"].clone();
        assert_eq!(access["token"]["id"], json!(u.token));
        assert_eq!(access["user"]["id"], json!(u.id));
        assert!(
            access.get("serviceCatalog").is_none(),
            "no catalog on validation"
        );
    }
    validate(&other.token, &u.token, None).assert_fault(403, "forbidden", Some("Not Authorized"));
    // belongsTo: any of the user's tenants.
    validate(&admin.token, &u.token, Some(&domain)).assert_status(200);
    validate(&admin.token, &u.token, Some(&format!("x,{domain}"))).assert_status(200);
    validate(&admin.token, &u.token, Some("someone-else")).assert_fault(404, "itemNotFound", None);
    // The same for a token asking about itself (answered from what authenticated it).
    validate(&u.token, &u.token, Some(&domain)).assert_status(200);
    validate(&u.token, &u.token, Some("someone-else")).assert_fault(404, "itemNotFound", None);
    // HEAD: the same answer, no body.
    let head = Call::new(
        Gateway::Default,
        "HEAD",
        &format!("/v2.0/tokens/{}", u.token),
    )
    .token(&validator)
    .send();
    assert_eq!((head.status, head.text.as_str()), (200, ""));
    // A login session id is never a token.
    let mfa_user = create_user("identity:default", Some(&domain));
    enable_otp(&mfa_user);
    let session = mfa::challenge(Gateway::Default, &mfa_user);
    validate(&admin.token, &session, None).assert_fault(404, "itemNotFound", None);
    validate(&session, &session, None).assert_fault(403, "forbidden", None);
    // Unknown and expired.
    validate(&admin.token, "0123456789abcdef0123456789abcdef", None).assert_fault(
        404,
        "itemNotFound",
        Some("Token not found."),
    );
    let short = create_user_without_token("identity:default", Some(&domain), false);
    let brief = login(Gateway::ShortTtl, &short.username, &short.password);
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    validate(&admin.token, &brief, None).assert_fault(404, "itemNotFound", None);
}

#[test]
fn tokens_are_revoked_by_their_holder_or_by_an_admin() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let other = create_user("identity:default", Some(&domain));
    let admin = create_user("identity:admin", None);
    let revoke = |caller: &str, named: Option<&str>| {
        let path = named
            .map(|t| format!("/v2.0/tokens/{t}"))
            .unwrap_or("/v2.0/tokens".into());
        Call::new(Gateway::Default, "DELETE", &path)
            .token(caller)
            .send()
    };
    // Sign out: the token is dead at once.
    let signed_in = login(Gateway::Default, &u.username, &u.password);
    revoke(&signed_in, None).assert_status(204);
    phones::list(&signed_in, &u).assert_fault(401, "unauthorized", None);
    // Naming one's own token works too; another's only for admins.
    let second = login(Gateway::Default, &u.username, &u.password);
    revoke(&other.token, Some(&second)).assert_fault(403, "forbidden", Some("Not Authorized"));
    revoke(&second, Some(&second)).assert_status(204);
    revoke(&admin.token, Some(&u.token)).assert_status(204);
    validate(&admin.token, &u.token, None).assert_fault(404, "itemNotFound", None);
    revoke(&admin.token, Some(&u.token)).assert_fault(
        404,
        "itemNotFound",
        Some("Token not found."),
    );
    // A SETUP-MFA token may sign out too.
    let ia = create_user("identity:admin", None);
    put(
        &ia.token,
        &other,
        json!({"userMultiFactorEnforcementLevel": "REQUIRED"}),
    )
    .assert_status(204);
    let setup = auth(with(password(&other), "RAX-AUTH:scope", json!("SETUP-MFA"))).token();
    revoke(&setup, None).assert_status(204);
}

#[test]
fn api_keys_are_reset_shown_deleted_and_log_in_without_a_challenge() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let ua = create_user("identity:user-admin", Some(&domain));
    let stranger = create_user("identity:default", Some(&new_domain()));
    Call::new(Gateway::Default, "GET", &api_key_path(&u))
        .token(&u.token)
        .send()
        .assert_fault(
            404,
            "itemNotFound",
            Some(&format!(
                "Credential type RAX-KSKEY:apiKeyCredentials was not found for User with Id: {}",
                u.id
            )),
        );
    let key = new_api_key(&u);
    assert!(
        key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{key}"
    );
    // Shown to its owner and to callers with precedence; never stored in the clear.
    for caller in [&u.token, &ua.token] {
        let shown = Call::new(Gateway::Default, "GET", &api_key_path(&u))
            .token(caller)
            .send();
        assert_eq!(
            shown.json(),
            json!({"RAX-KSKEY:apiKeyCredentials": {"username": u.username, "apiKey": key}})
        );
    }
    Call::new(Gateway::Default, "GET", &api_key_path(&u))
        .token(&stranger.token)
        .send()
        .assert_fault(403, "forbidden", None);
    let stored = table::items_of(&u.id, "APIKEY");
    assert_eq!(stored.len(), 1);
    assert!(
        !format!("{stored:?}").contains(&key),
        "only a hash and a sealed copy are stored"
    );
    // Log in with it: APIKEY, no challenge even with MFA on (BEHAVIOR.md 7.1).
    let reply = api_key_login(&u, &key);
    reply.assert_status(200);
    assert_eq!(
        reply.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["APIKEY"])
    );
    let key_uri = enable_otp(&u);
    let with_mfa = api_key_login(&u, &key);
    with_mfa.assert_status(200);
    let key_token = with_mfa.token();
    phones::list(&key_token, &u).assert_status(200);
    // Wrong keys, unknown users: the password's 401.
    for (name, wrong) in [
        (u.username.as_str(), "0".repeat(32)),
        ("nobody-at-all", key.clone()),
    ] {
        auth(json!({"RAX-KSKEY:apiKeyCredentials": {"username": name, "apiKey": wrong}}))
            .assert_fault(
            401,
            "unauthorized",
            Some("Error code: 'AUTH-004'; Unable to authenticate user with credentials provided."),
        );
    }
    // A reset replaces it; a delete removes it.
    let u = mfa::with_token(&u, login_otp(&u, &key_uri));
    let newer = new_api_key(&u);
    api_key_login(&u, &key).assert_status(401);
    api_key_login(&u, &newer).assert_status(200);
    Call::new(Gateway::Default, "DELETE", &api_key_path(&u))
        .token(&u.token)
        .send()
        .assert_status(204);
    api_key_login(&u, &newer).assert_status(401);
    Call::new(Gateway::Default, "DELETE", &api_key_path(&u))
        .token(&u.token)
        .send()
        .assert_status(404);
}

#[test]
fn a_domain_may_forbid_api_key_logins() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let key = new_api_key(&u);
    let set = |value: &str| {
        let out = mfa_admin(&["set-domain", "--domain", &domain, "--api-key-logins", value]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    set("off");
    api_key_login(&u, &key).assert_fault(
        403,
        "forbidden",
        Some("API key authentication is not allowed for the users of this domain."),
    );
    login(Gateway::Default, &u.username, &u.password);
    set("on");
    api_key_login(&u, &key).assert_status(200);
}

#[test]
fn api_key_tokens_go_when_mfa_is_enabled_like_password_ones() {
    // DECISIONS.md: enabling MFA revokes every token obtained without a second factor.
    let u = create_user("identity:default", Some(&new_domain()));
    let key = new_api_key(&u);
    let key_token = api_key_login(&u, &key).token();
    enable_otp(&u);
    phones::list(&key_token, &u).assert_fault(401, "unauthorized", None);
}

#[test]
fn the_new_operations_answer_in_xml_too() {
    let domain = new_domain();
    let u = create_user("identity:default", Some(&domain));
    let key = new_api_key(&u);
    let xml = Call::new(Gateway::Default, "GET", &api_key_path(&u))
        .token(&u.token)
        .header("Accept", "application/xml")
        .send();
    let doc = roxmltree::Document::parse(&xml.text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://docs.rackspace.com/identity/api/ext/RAX-KSKEY/v1.0")
    );
    assert_eq!(root.attribute("apiKey"), Some(key.as_str()));
    let login = Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .header("Accept", "application/xml")
        .raw(
            "application/xml",
            format!(
                r#"<auth xmlns="http://docs.openstack.org/identity/api/v2.0"><apiKeyCredentials xmlns="http://docs.rackspace.com/identity/api/ext/RAX-KSKEY/v1.0" username="{}" apiKey="{key}"/></auth>"#,
                u.username
            )
            .as_bytes(),
        )
        .send();
    assert_eq!(login.status, 200, "{}", login.text);
    let doc = roxmltree::Document::parse(&login.text).expect("well-formed XML");
    let tenant = doc
        .descendants()
        .find(|n| n.has_tag_name("tenant"))
        .expect("tenant");
    assert_eq!(tenant.attribute("id"), Some(domain.as_str()));
    let tenants = Call::new(Gateway::Default, "GET", "/v2.0/tenants")
        .token(&u.token)
        .header("Accept", "application/xml")
        .send();
    let doc = roxmltree::Document::parse(&tenants.text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "tenants");
}
