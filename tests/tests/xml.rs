//! XML for every operation (API.md 1.1, 3, 4.1, 5; BEHAVIOR.md 9; DECISIONS.md 26): requests in
//! the docs' XML forms, answers in the docs' namespaces that say what the JSON answers say, XML
//! faults, and hostile or broken documents refused with nothing written.

use integration_tests::xml::{assert_mirrors, Element, NS_ID, NS_RAX};
use integration_tests::*;
use serde_json::Value;

const INVALID_XML: &str = "Invalid XML";

fn get_xml(token: &str, path: &str) -> Reply {
    Call::new(Gateway::Default, "GET", path)
        .token(token)
        .accept_xml()
        .send()
}

fn get_json(token: &str, path: &str) -> Value {
    let reply = Call::new(Gateway::Default, "GET", path).token(token).send();
    reply.assert_status(200);
    reply.json()
}

fn post_xml(token: &str, path: &str, body: &str) -> Reply {
    Call::new(Gateway::Default, "POST", path)
        .token(token)
        .accept_xml()
        .xml(body)
        .send()
}

/// `GET path` in both formats: the XML root is `ns:name` and mirrors the JSON member `key`.
fn assert_same_in_both(token: &str, path: &str, ns: &str, name: &str, key: &str) -> Element {
    let reply = get_xml(token, path);
    reply.assert_status(200);
    let root = reply.xml();
    root.assert_is(ns, name);
    let json = get_json(token, path);
    match &json[key] {
        Value::Array(items) => {
            assert_eq!(root.children.len(), items.len(), "{path}");
            for (element, item) in root.children.iter().zip(items) {
                assert_mirrors(element, item);
            }
        }
        object => assert_mirrors(&root, object),
    }
    root
}

#[test]
fn phones_from_add_to_delete_in_xml() {
    let u = create_user("identity:default", Some(&new_domain()));
    let phones_path = format!("{}/mobile-phones", u.mf());
    let (number, e164) = new_phone_number();
    // No namespace at all (API.md 1.1: names count by local name).
    let created = post_xml(
        &u.token,
        &phones_path,
        &format!(r#"<mobilePhone number="{number}"/>"#),
    );
    created.assert_status(201);
    let phone = created.xml();
    phone.assert_is(NS_RAX, "mobilePhone");
    let id = phone.attr("id").expect("id").to_owned();
    assert_eq!(phone.attr("number"), Some(number.as_str()));
    assert!(created.header("location").expect("Location").ends_with(&id));
    // The docs' own form, same number: the same phone (adding is idempotent).
    let again = post_xml(
        &u.token,
        &phones_path,
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
            <mobilePhone xmlns="{NS_RAX}"
                         number="{number}"/>"#
        ),
    );
    again.assert_status(201);
    assert_eq!(again.xml().attr("id"), Some(id.as_str()));

    let phone_path = format!("{phones_path}/{id}");
    let shown = assert_same_in_both(
        &u.token,
        &phone_path,
        NS_RAX,
        "mobilePhone",
        "RAX-AUTH:mobilePhone",
    );
    assert_eq!(shown.attr("verified"), Some("false"));
    let listed = assert_same_in_both(
        &u.token,
        &phones_path,
        NS_RAX,
        "mobilePhones",
        "RAX-AUTH:mobilePhones",
    );
    listed.child(NS_RAX, "mobilePhone");

    // Send (no body; an XML client still gets 202) and verify with the XML body.
    let before = sms::messages_to(&e164).len();
    let sent = Call::new(
        Gateway::Default,
        "POST",
        &format!("{phone_path}/verificationcode"),
    )
    .token(&u.token)
    .accept_xml()
    .send();
    sent.assert_status(202);
    let pin = sms::next_code_to(&e164, before).expect("the PIN arrives");
    let verify = |code: &str| {
        post_xml(
            &u.token,
            &format!("{phone_path}/verify"),
            &format!(r#"<verificationCode xmlns="{NS_RAX}" code="{code}"/>"#),
        )
    };
    let wrong = if pin == "0000" { "1111" } else { "0000" };
    verify(wrong).assert_xml_fault(
        400,
        "badRequest",
        Some("The provided pin is either invalid or expired."),
    );
    verify(&pin).assert_status(204);
    verify(&pin).assert_xml_fault(400, "badRequest", None);

    let devices = assert_same_in_both(
        &u.token,
        &format!("{}/devices", u.mf()),
        NS_RAX,
        "multiFactorDevices",
        "RAX-AUTH:multiFactorDevices",
    );
    let listed_phone = devices
        .child(NS_RAX, "mobilePhones")
        .child(NS_RAX, "mobilePhone");
    assert_eq!(listed_phone.attr("verified"), Some("true"));
    assert!(devices.child(NS_RAX, "otpDevices").children.is_empty());

    Call::new(Gateway::Default, "DELETE", &phone_path)
        .token(&u.token)
        .accept_xml()
        .send()
        .assert_status(204);
    get_xml(&u.token, &phone_path).assert_xml_fault(404, "itemNotFound", None);
    Call::new(
        Gateway::Default,
        "POST",
        &format!("{phone_path}/verificationcode"),
    )
    .token(&u.token)
    .accept_xml()
    .send()
    .assert_xml_fault(404, "itemNotFound", None);
}

#[test]
fn otp_devices_in_xml() {
    let u = create_user("identity:default", Some(&new_domain()));
    let devices_path = format!("{}/otp-devices", u.mf());
    let created = post_xml(
        &u.token,
        &devices_path,
        &format!(r#"<otpDevice xmlns="{NS_RAX}" name="phone &amp; tablet"/>"#),
    );
    created.assert_status(201);
    let device = created.xml();
    device.assert_is(NS_RAX, "otpDevice");
    assert_eq!(device.attr("name"), Some("phone & tablet"));
    assert_eq!(device.attr("verified"), Some("false"));
    let key_uri = device.attr("keyUri").expect("keyUri").to_owned();
    assert!(key_uri.starts_with("otpauth://totp/"), "{key_uri}");
    assert!(device
        .attr("qrcode")
        .expect("qrcode")
        .starts_with("data:image/png;base64,"));
    let id = device.attr("id").expect("id").to_owned();
    let device_path = format!("{devices_path}/{id}");

    let verify = |code: &str| {
        post_xml(
            &u.token,
            &format!("{device_path}/verify"),
            &format!(r#"<verificationCode xmlns="{NS_RAX}" code="{code}"/>"#),
        )
    };
    verify("").assert_xml_fault(400, "badRequest", Some("Must provide a verification code"));
    verify(&otp::code(&key_uri, 0)).assert_status(204);

    let shown = assert_same_in_both(
        &u.token,
        &device_path,
        NS_RAX,
        "otpDevice",
        "RAX-AUTH:otpDevice",
    );
    assert_eq!(shown.attr("verified"), Some("true"));
    assert_eq!(shown.attr("keyUri"), None, "the secret is shown only once");
    assert_same_in_both(
        &u.token,
        &devices_path,
        NS_RAX,
        "otpDevices",
        "RAX-AUTH:otpDevices",
    );
    Call::new(Gateway::Default, "DELETE", &device_path)
        .token(&u.token)
        .accept_xml()
        .send()
        .assert_status(204);
    Call::new(Gateway::Default, "DELETE", &device_path)
        .token(&u.token)
        .accept_xml()
        .send()
        .assert_xml_fault(404, "itemNotFound", None);
}

/// Both login steps in XML, as in API.md 5.1 and 5.2.
fn xml_login(user: &TestUser) -> Reply {
    Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .accept_xml()
        .xml(&format!(
            r#"<auth xmlns="{NS_ID}"><passwordCredentials username="{}" password="{}"/></auth>"#,
            user.username, user.password
        ))
        .send()
}

fn xml_passcode(session_id: &str, passcode: &str) -> Reply {
    Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .header("X-SessionId", session_id)
        .accept_xml()
        .xml(&format!(
            r#"<auth xmlns="{NS_ID}"
                  xmlns:RAX-AUTH="{NS_RAX}">
              <RAX-AUTH:passcodeCredentials passcode="{passcode}"/>
            </auth>"#
        ))
        .send()
}

#[test]
fn multi_factor_settings_login_and_bypass_codes_in_xml() {
    let domain = new_domain();
    let admin = create_user("identity:user-admin", Some(&domain));
    let u = create_user("identity:default", Some(&domain));
    let phone = phones::with_pin(&u);
    phones::verify(Gateway::Default, &u.token, &u, &phone.id, &phone.pin).assert_status(204);
    let put = |body: &str| {
        Call::new(Gateway::Default, "PUT", &u.mf())
            .token(&u.token)
            .accept_xml()
            .xml(body)
            .send()
    };
    put(&format!(
        r#"<multiFactor xmlns="{NS_RAX}" enabled="maybe"/>"#
    ))
    .assert_xml_fault(400, "badRequest", Some(INVALID_XML));
    put(&format!(
        r#"<multiFactor xmlns="{NS_RAX}" enabled="true"/>"#
    ))
    .assert_status(204);

    let user_path = format!("/v2.0/users/{}", u.id);
    let shown = assert_same_in_both(&admin.token, &user_path, NS_ID, "user", "user");
    assert_eq!(shown.rax_attr("multiFactorEnabled"), Some("true"));
    assert_eq!(shown.rax_attr("factorType"), Some("SMS"));

    // Step 1: the challenge, as an XML fault with the session in the header.
    let before = sms::messages_to(&phone.e164).len();
    let challenge = xml_login(&u);
    challenge.assert_xml_fault(
        401,
        "unauthorized",
        Some("Additional authentication credentials required"),
    );
    let session = mfa::session_id(&challenge);
    let passcode = sms::next_code_to(&phone.e164, before).expect("the passcode arrives");
    xml_passcode(&session, "0").assert_xml_fault(401, "unauthorized", None);

    // Step 2: the access document of API.md 5.2.
    let ok = xml_passcode(&session, &passcode);
    ok.assert_status(200);
    let access = ok.xml();
    access.assert_is(NS_ID, "access");
    let token = access.child(NS_ID, "token");
    let token_id = token.attr("id").expect("token id").to_owned();
    assert!(token.attr("expires").is_some());
    let methods: Vec<&str> = token
        .child(NS_RAX, "authenticatedBy")
        .children
        .iter()
        .map(|c| {
            c.assert_is(NS_RAX, "credential");
            c.text.as_str()
        })
        .collect();
    assert_eq!(methods.len(), 2);
    assert!(methods.contains(&"PASSCODE") && methods.contains(&"PASSWORD"));
    let user = access.child(NS_ID, "user");
    assert_eq!(user.attr("id"), Some(u.id.as_str()));
    assert_eq!(user.rax_attr("multiFactorEnabled"), Some("true"));
    let roles = &user.child(NS_ID, "roles").children;
    let names: Vec<_> = roles.iter().filter_map(|r| r.attr("name")).collect();
    assert_eq!(names, ["identity:default", "tenant:default"]);
    assert!(!access.child(NS_ID, "serviceCatalog").children.is_empty());

    // Bypass codes: the count and duration as attributes, the codes as one list attribute.
    let codes = post_xml(
        &token_id,
        &format!("{}/bypass-codes", u.mf()),
        &format!(r#"<bypassCodes xmlns="{NS_RAX}" validityDuration="PT20M" numberOfCodes="2"/>"#),
    );
    codes.assert_status(200);
    let codes = codes.xml();
    codes.assert_is(NS_RAX, "bypassCodes");
    assert_eq!(codes.attr("validityDuration"), Some("P0Y0M0DT0H20M0.000S"));
    let list: Vec<String> = codes
        .attr("codes")
        .expect("codes")
        .split(' ')
        .map(str::to_owned)
        .collect();
    assert_eq!(list.len(), 2);
    let bypass = xml_passcode(&mfa::challenge(Gateway::Default, &u), &list[0]);
    bypass.assert_status(200);
    bypass.xml().assert_is(NS_ID, "access");

    Call::new(Gateway::Default, "DELETE", &u.mf())
        .token(&admin.token)
        .accept_xml()
        .send()
        .assert_status(204);
    let after = get_xml(&admin.token, &user_path);
    assert_eq!(after.xml().rax_attr("multiFactorEnabled"), Some("false"));
    // Without MFA the XML password step answers the token straight away.
    xml_login(&u).assert_status(200);
}

#[test]
fn domains_in_xml() {
    let domain = new_domain();
    let owner = create_user("identity:user-admin", Some(&domain));
    let admin = create_user("identity:admin", None);
    let path = format!("/v2.0/RAX-AUTH/domains/{domain}");
    let put = |level: &str| {
        Call::new(Gateway::Default, "PUT", &format!("{path}/multi-factor"))
            .token(&admin.token)
            .accept_xml()
            .xml(&format!(
                r#"<multiFactorDomain xmlns="{NS_RAX}" domainMultiFactorEnforcementLevel="{level}"/>"#
            ))
            .send()
    };
    put("SOMETIMES").assert_xml_fault(400, "badRequest", None);
    put("OPTIONAL").assert_status(204);
    let shown = assert_same_in_both(&owner.token, &path, NS_RAX, "domain", "RAX-AUTH:domain");
    assert_eq!(
        shown.attr("domainMultiFactorEnforcementLevel"),
        Some("OPTIONAL")
    );
    let unknown = "/v2.0/RAX-AUTH/domains/no-such-domain";
    get_xml(&admin.token, unknown).assert_xml_fault(404, "itemNotFound", None);
    get_xml(&owner.token, unknown).assert_xml_fault(403, "forbidden", None);
}

#[test]
fn faults_follow_accept_and_unreadable_accepts_are_406() {
    let u = create_user("identity:default", Some(&new_domain()));
    let phones_path = format!("{}/mobile-phones", u.mf());
    Call::new(Gateway::Default, "GET", &phones_path)
        .accept_xml()
        .send()
        .assert_xml_fault(401, "unauthorized", None);
    Call::new(Gateway::Default, "GET", "/v2.0/nothing")
        .accept_xml()
        .send()
        .assert_xml_fault(404, "itemNotFound", None);
    Call::new(Gateway::Default, "PATCH", &phones_path)
        .token(&u.token)
        .accept_xml()
        .send()
        .assert_xml_fault(405, "badMethod", None);
    Call::new(Gateway::Default, "POST", &phones_path)
        .token(&u.token)
        .accept_xml()
        .raw("text/xml", br#"<mobilePhone number="+1 210-312-4600"/>"#)
        .send()
        .assert_xml_fault(415, "badMediaType", None);
    Call::new(Gateway::Default, "GET", &phones_path)
        .token(&u.token)
        .header("Accept", "text/html")
        .send()
        .assert_fault(406, "notAcceptable", None);
    // Quality values decide; JSON wins ties and answers `*/*`.
    let preferring = |accept: &str| {
        Call::new(Gateway::Default, "GET", &phones_path)
            .token(&u.token)
            .header("Accept", accept)
            .send()
            .header("content-type")
    };
    assert_eq!(
        preferring("application/xml;q=0.5, application/json").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        preferring("application/json;q=0.5, application/xml").as_deref(),
        Some("application/xml")
    );
    assert_eq!(preferring("*/*").as_deref(), Some("application/json"));
}

#[test]
fn hostile_or_broken_xml_is_400_and_writes_nothing() {
    let u = create_user("identity:default", Some(&new_domain()));
    let phones_path = format!("{}/mobile-phones", u.mf());
    let laughs = format!(
        r#"<?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
        ]>
        <mobilePhone xmlns="{NS_RAX}" number="&lol3;"/>"#
    );
    let external = format!(
        r#"<?xml version="1.0"?>
        <!DOCTYPE mobilePhone [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <mobilePhone xmlns="{NS_RAX}" number="&xxe;"/>"#
    );
    for body in [
        format!(r#"<mobilePhone xmlns="{NS_RAX}" number="+1 210-312-4600">"#),
        format!(r#"<otpDevice xmlns="{NS_RAX}" name="not a phone"/>"#),
        format!(r#"<mobilePhone xmlns="{NS_RAX}" number="+1 210-312-4600" extra="1"/>"#),
        format!(r#"<mobilePhone xmlns="{NS_RAX}" number="&undeclared;"/>"#),
        laughs.clone(),
        external.clone(),
    ] {
        post_xml(&u.token, &phones_path, &body).assert_xml_fault(
            400,
            "badRequest",
            Some(INVALID_XML),
        );
    }
    // An XML document declared as JSON is bad JSON.
    Call::new(Gateway::Default, "POST", &phones_path)
        .token(&u.token)
        .raw(
            "application/json",
            format!(r#"<mobilePhone xmlns="{NS_RAX}" number="+1 210-312-4600"/>"#).as_bytes(),
        )
        .send()
        .assert_fault(400, "badRequest", Some("Invalid json request body"));
    assert!(table::items_of(&u.id, "PHONE#").is_empty(), "no phone");

    // The login refuses them the same way, before any credential is looked at.
    for body in [laughs, external] {
        Call::new(Gateway::Default, "POST", "/v2.0/tokens")
            .accept_xml()
            .xml(&body.replace("mobilePhone", "auth"))
            .send()
            .assert_xml_fault(400, "badRequest", Some(INVALID_XML));
    }
    let wrong_root = Call::new(Gateway::Default, "POST", "/v2.0/tokens")
        .xml(&format!(
            r#"<credentials xmlns="{NS_ID}"><passwordCredentials username="{}" password="{}"/></credentials>"#,
            u.username, u.password
        ))
        .send();
    wrong_root.assert_fault(
        400,
        "badRequest",
        Some("Invalid request body: unable to parse Auth data. Please review XML or JSON formatting."),
    );
    assert_eq!(table::session_count(&u.id), 0);
}
