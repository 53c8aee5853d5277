//! Security keys and passkeys end to end (WEBAUTHN.md): both ceremonies through the real
//! functions with a software authenticator, every refusal of the contract, the factor, login,
//! lockout, bypass codes, deletion, XML, and parallel use.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use integration_tests::webauthn::{
    self, begin, begin_ok, challenge, delete, enable, enrolled, finish, get, key, listed, step2,
    SoftKey, Tamper,
};
use integration_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const WAN_002: &str = "Error code: 'WAN-002'; The WebAuthn credential could not be verified.";
const CANNOT_AUTHENTICATE: &str = "Can not authenticate with credentials provided";
const G: Gateway = Gateway::Default;

fn user() -> TestUser {
    create_user("identity:default", Some(&new_domain()))
}

/// A user with MFA on by WebAuthn, holding its MFA token: the user, its device id and key.
fn webauthn_user() -> (TestUser, String, SoftKey) {
    let u = user();
    let (id, mut key) = enable(&u);
    let token = webauthn::login(&u, &mut key);
    (mfa::with_token(&u, token), id, key)
}

type Answer<'a> = dyn Fn(&mut SoftKey, &mut SoftKey, &Value) -> Value + 'a;

fn tampered(f: impl FnOnce(&mut Tamper)) -> Tamper {
    let mut t = Tamper::default();
    f(&mut t);
    t
}

#[test]
fn a_key_registers_and_logs_in() {
    let u = user();
    let reply = begin(G, &u.token, &u, "  YubiKey 5C ");
    reply.assert_status(201);
    let device = reply.json()["RAX-AUTH:webAuthnDevice"].clone();
    let id = device["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (device["name"].clone(), device["verified"].clone()),
        (json!("YubiKey 5C"), json!(false))
    );
    assert!(reply
        .header("location")
        .unwrap()
        .ends_with(&format!("{}/webauthn-devices/{id}", u.mf())));
    let options = &device["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["timeout"], 300_000);
    assert_eq!(options["attestation"], "none");
    assert_eq!(
        options["authenticatorSelection"]["residentKey"],
        "preferred"
    );
    assert_eq!(options["user"]["name"], json!(u.username));
    // Random, never derived from the user's id or name (WEBAUTHN.md): 16 bytes that hold
    // neither, and another user's first registration gets another handle.
    let handle = options["user"]["id"].as_str().unwrap().to_owned();
    let bytes = URL_SAFE_NO_PAD
        .decode(&handle)
        .expect("base64url user handle");
    assert_eq!(bytes.len(), 16);
    for derived in [u.id.as_bytes(), u.username.as_bytes()] {
        assert!(!bytes.windows(4).any(|w| derived.windows(4).any(|d| d == w)));
    }
    let other = user();
    let (_, other_options) = begin_ok(G, &other, "Key");
    assert_ne!(other_options["user"]["id"], json!(handle));
    let mut key = key(G);
    let answer = key.register(options, &Tamper::default());
    finish(G, &u.token, &u, &id, &answer).assert_status(204);
    let shown = get(&u.token, &u, &id);
    shown.assert_status(200);
    assert_eq!(
        shown.json(),
        json!({"RAX-AUTH:webAuthnDevice": {"id": id, "name": "YubiKey 5C", "verified": true}})
    );
    // A second registration: the same handle, the first key excluded.
    let (_, second) = begin_ok(G, &u, "Passkey");
    assert_eq!(second["user"]["id"], json!(handle));
    assert_eq!(second["excludeCredentials"][0]["id"], json!(key.id()));
    let all = Call::new(G, "GET", &format!("{}/devices", u.mf()))
        .token(&u.token)
        .send();
    assert_eq!(
        all.json()["RAX-AUTH:multiFactorDevices"]["webAuthnDevices"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    mfa::put(
        &u.token,
        &u,
        json!({"enabled": true, "factorType": "WEBAUTHN"}),
    )
    .assert_status(204);
    let admin = create_user("identity:user-admin", u.domain.as_deref());
    assert_eq!(mfa::shown(&admin, &u)["RAX-AUTH:factorType"], "WEBAUTHN");
    let step1 = login_reply(G, &u.username, &u.password);
    step1.assert_status(401);
    let header = step1.header("www-authenticate").unwrap();
    assert!(header.ends_with("factor='WEBAUTHN'"), "{header}");
    let body = step1.json();
    assert_eq!(
        body["unauthorized"]["message"],
        "Additional authentication credentials required"
    );
    let request = &body["RAX-AUTH:webAuthnOptions"]["publicKey"];
    assert_eq!(request["rpId"], "localhost");
    assert_eq!(
        request["allowCredentials"],
        json!([{"type": "public-key", "id": key.id(), "transports": ["usb"]}]),
        "verified devices only, with their transports"
    );
    let timeout = request["timeout"].as_i64().unwrap();
    assert!((290_000..=300_000).contains(&timeout), "{timeout}");
    let reply = step2(
        G,
        &mfa::session_id(&step1),
        &key.assert(request, &Tamper::default()),
    );
    reply.assert_status(200);
    assert_eq!(
        reply.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "WEBAUTHN"])
    );
    Call::new(G, "GET", &format!("/v2.0/users/{}", u.id))
        .token(&reply.token())
        .send()
        .assert_status(200);
}

#[test]
fn registrations_the_contract_refuses_change_nothing() {
    let u = user();
    let (id, options) = begin_ok(G, &u, "Key");
    let (other_id, other_options) = begin_ok(G, &u, "Other");
    let mut key = key(G);
    let refusals = [
        tampered(|t| t.origin = Some("https://evil.example".into())),
        tampered(|t| t.origin = Some("http://127.0.0.1:3000".into())),
        tampered(|t| t.rp_id = Some("example.com".into())),
        tampered(|t| t.ceremony = Some("webauthn.get")),
        tampered(|t| t.no_user_presence = true),
        tampered(|t| t.truncate_attestation = true),
    ];
    for tamper in &refusals {
        let answer = key.register(&options, tamper);
        finish(G, &u.token, &u, &id, &answer).assert_fault(400, "badRequest", Some(WAN_002));
    }
    // Another device's challenge.
    let answer = key.register(&other_options, &Tamper::default());
    finish(G, &u.token, &u, &id, &answer).assert_fault(400, "badRequest", Some(WAN_002));
    assert!(listed(&u).iter().all(|d| d["verified"] == false));
    // The challenge is still usable: the right answer is accepted, once.
    let answer = key.register(&options, &Tamper::default());
    finish(G, &u.token, &u, &id, &answer).assert_status(204);
    finish(G, &u.token, &u, &id, &answer).assert_fault(
        400,
        "badRequest",
        Some("Error code: 'WAN-003'; The WebAuthn device is already verified."),
    );
    // The same credential for the other device, or for another user: refused.
    let again = key.register(&other_options, &Tamper::default());
    finish(G, &u.token, &u, &other_id, &again).assert_fault(400, "badRequest", Some(WAN_002));
    let v = user();
    let (v_id, v_options) = begin_ok(G, &v, "Borrowed");
    let borrowed = key.register(&v_options, &Tamper::default());
    finish(G, &v.token, &v, &v_id, &borrowed).assert_fault(400, "badRequest", Some(WAN_002));
    finish(G, &u.token, &u, "0123456789abcdef0123456789abcdef", &answer).assert_fault(
        404,
        "itemNotFound",
        Some("WebAuthn device not found"),
    );
}

#[test]
fn a_registration_challenge_expires() {
    let u = create_user("identity:default", Some(&new_domain()));
    let mut key = webauthn::key(Gateway::ShortTtl);
    let (id, options) = begin_ok(Gateway::ShortTtl, &u, "Slow key");
    std::thread::sleep(Duration::from_millis(2_500));
    let answer = key.register(&options, &Tamper::default());
    finish(Gateway::ShortTtl, &u.token, &u, &id, &answer).assert_fault(
        400,
        "badRequest",
        Some(WAN_002),
    );
}

#[test]
fn names_the_limit_and_who_may_register() {
    let u = user();
    for (name, message) in [
        (" ", "Must provide a name for a WebAuthn device"),
        (
            &*"k".repeat(65),
            "WebAuthn device name must be at most 64 characters",
        ),
    ] {
        begin(G, &u.token, &u, name).assert_fault(400, "badRequest", Some(message));
    }
    let stranger = user();
    begin(G, &stranger.token, &u, "Mine").assert_fault(403, "forbidden", Some("Not Authorized"));
    let admin = create_user("identity:user-admin", u.domain.as_deref());
    begin(G, &admin.token, &u, "For you").assert_status(201);
    for i in 1..10 {
        begin(G, &u.token, &u, &format!("Key {i}")).assert_status(201);
    }
    begin(G, &u.token, &u, "The 11th").assert_fault(
        400,
        "badRequest",
        Some("Error code: 'WAN-001'; Maximum number of WebAuthn devices reached."),
    );
    assert_eq!(listed(&u).len(), 10);
}

#[test]
fn assertions_the_contract_refuses_count_and_the_session_stays_usable() {
    let (u, _, mut key) = webauthn_user();
    let (other_session, other_options) = challenge(G, &u);
    let mut stranger_key = webauthn_user().2;
    // (why, the answer from: the user's key, a stranger's key, this session's options)
    let cases: Vec<(&str, Box<Answer>)> = vec![
        (
            "wrong origin",
            Box::new(|k, _, o| {
                k.assert(
                    o,
                    &tampered(|t| t.origin = Some("https://evil.example".into())),
                )
            }),
        ),
        (
            "wrong RP id",
            Box::new(|k, _, o| k.assert(o, &tampered(|t| t.rp_id = Some("example.com".into())))),
        ),
        (
            "wrong ceremony type",
            Box::new(|k, _, o| k.assert(o, &tampered(|t| t.ceremony = Some("webauthn.create")))),
        ),
        (
            "another session's challenge",
            Box::new(|k, _, _| k.assert(&other_options, &Tamper::default())),
        ),
        (
            "another user's credential",
            Box::new(|_, s, o| s.assert(o, &Tamper::default())),
        ),
        (
            "tampered signature",
            Box::new(|k, _, o| k.assert(o, &tampered(|t| t.signature = true))),
        ),
        (
            "no user presence",
            Box::new(|k, _, o| k.assert(o, &tampered(|t| t.no_user_presence = true))),
        ),
        (
            "a counter gone back",
            Box::new(|k, _, o| k.assert(o, &tampered(|t| t.counter = Some(1)))),
        ),
    ];
    let admin = create_user("identity:user-admin", u.domain.as_deref());
    for (why, answer) in cases {
        // Each kind is counted: the third refusal in a row locks (then an admin unlocks).
        let (session, options) = challenge(G, &u);
        for _ in 0..2 {
            let refused = step2(G, &session, &answer(&mut key, &mut stranger_key, &options));
            refused.assert_fault(401, "unauthorized", Some(CANNOT_AUTHENTICATE));
        }
        let third = step2(G, &session, &answer(&mut key, &mut stranger_key, &options));
        assert_eq!(third.status, 403, "{why}: the third refusal locks");
        mfa::put(&admin.token, &u, json!({"unlock": true})).assert_status(204);
    }
    // A refused answer leaves the session usable: the right one then logs in.
    let (session, options) = challenge(G, &u);
    step2(
        G,
        &session,
        &key.assert(&options, &tampered(|t| t.signature = true)),
    )
    .assert_status(401);
    step2(G, &session, &key.assert(&options, &Tamper::default())).assert_status(200);
    assert_eq!(
        mfa::shown(&admin, &u)["RAX-AUTH:multiFactorState"],
        "ACTIVE"
    );
    // The other session's challenge still works in its own session.
    step2(
        G,
        &other_session,
        &key.assert(&other_options, &Tamper::default()),
    )
    .assert_status(200);
}

#[test]
fn a_replayed_assertion_is_refused() {
    let (u, _, mut key) = webauthn_user();
    let (session, options) = challenge(G, &u);
    let answer = key.assert(&options, &Tamper::default());
    step2(G, &session, &answer).assert_status(200);
    step2(G, &session, &answer).assert_fault(401, "unauthorized", Some(CANNOT_AUTHENTICATE));
    let (next, _) = challenge(G, &u);
    step2(G, &next, &answer).assert_fault(401, "unauthorized", Some(CANNOT_AUTHENTICATE));
}

#[test]
fn the_third_failure_locks_and_a_bypass_code_still_works() {
    let (u, _, mut key) = webauthn_user();
    let codes = mfa::codes(&mfa::bypass(
        G,
        &u.token,
        &u,
        Some(json!({"numberOfCodes": 1})),
    ));
    let (session, options) = challenge(G, &u);
    let bad = |key: &mut SoftKey| key.assert(&options, &tampered(|t| t.signature = true));
    step2(G, &session, &bad(&mut key)).assert_status(401);
    step2(G, &session, &bad(&mut key)).assert_status(401);
    step2(G, &session, &bad(&mut key)).assert_fault(403, "forbidden", None);
    step2(G, &session, &key.assert(&options, &Tamper::default())).assert_status(403);
    let admin = create_user("identity:user-admin", u.domain.as_deref());
    assert_eq!(
        mfa::shown(&admin, &u)["RAX-AUTH:multiFactorState"],
        "LOCKED"
    );
    mfa::put(&admin.token, &u, json!({"unlock": true})).assert_status(204);
    let (session, _) = challenge(G, &u);
    let reply = mfa::step2(G, &session, &codes[0]);
    reply.assert_status(200);
    assert_eq!(
        reply.json()["access"]["token"]["RAX-AUTH:authenticatedBy"],
        json!(["PASSWORD", "PASSCODE"])
    );
}

#[test]
fn a_zero_counter_is_accepted_only_from_a_key_that_never_counted() {
    let (u, _, mut key) = webauthn_user();
    key.counts = false;
    key.counter = 0;
    for _ in 0..2 {
        let (session, options) = challenge(G, &u);
        step2(G, &session, &key.assert(&options, &Tamper::default())).assert_fault(
            401,
            "unauthorized",
            Some(CANNOT_AUTHENTICATE),
        );
    }
    // Registered by a key that counted (its counter is above 0 now), a 0 is a clone's.
    let v = user();
    let mut flat = webauthn::key(G);
    flat.counts = false;
    let (id, options) = begin_ok(G, &v, "Passkey");
    finish(
        G,
        &v.token,
        &v,
        &id,
        &flat.register(&options, &Tamper::default()),
    )
    .assert_status(204);
    mfa::put(
        &v.token,
        &v,
        json!({"enabled": true, "factorType": "WEBAUTHN"}),
    )
    .assert_status(204);
    for _ in 0..2 {
        webauthn::login(&v, &mut flat);
    }
}

#[test]
fn credential_kinds_do_not_mix() {
    let (u, _, mut key) = webauthn_user();
    let (session, options) = challenge(G, &u);
    let both = json!({"auth": {
        "RAX-AUTH:webAuthnCredentials": key.assert(&options, &Tamper::default()),
        "RAX-AUTH:passcodeCredentials": {"passcode": "12345678"}}});
    Call::new(G, "POST", "/v2.0/tokens")
        .header("X-SessionId", &session)
        .json(&both)
        .send()
        .assert_fault(
            400,
            "badRequest",
            Some("Invalid request body: unable to parse Auth data. Please review XML or JSON formatting."),
        );
    // An OTP user's session takes no WebAuthn answer.
    let o = user();
    mfa::enable_otp(&o);
    let otp_session = mfa::challenge(G, &o);
    step2(G, &otp_session, &key.assert(&options, &Tamper::default())).assert_fault(
        400,
        "badRequest",
        Some("Unknown credential type"),
    );
}

#[test]
fn the_last_verified_key_stays_while_it_is_the_factor_and_mfa_removal_frees_it() {
    let (u, id, key) = webauthn_user();
    delete(&u.token, &u, &id).assert_fault(
        400,
        "badRequest",
        Some("Error code: 'WAN-004'; You can not delete the last verified WebAuthn device when your account is configured to use WebAuthn multifactor."),
    );
    let (unverified, _) = begin_ok(G, &u, "Spare");
    delete(&u.token, &u, &unverified).assert_status(204);
    get(&u.token, &u, &unverified).assert_fault(
        404,
        "itemNotFound",
        Some("WebAuthn device not found"),
    );
    Call::new(G, "DELETE", &u.mf())
        .token(&u.token)
        .send()
        .assert_status(204);
    let fresh = mfa::with_token(&u, login(G, &u.username, &u.password));
    assert!(listed(&fresh).is_empty());
    assert!(table::items_of(&u.id, "WEBAUTHN#").is_empty());
    // Its credential id is free again: the same key registers for another user.
    let v = user();
    let mut key = key;
    let (v_id, options) = begin_ok(G, &v, "Handed on");
    finish(
        G,
        &v.token,
        &v,
        &v_id,
        &key.register(&options, &Tamper::default()),
    )
    .assert_status(204);
}

#[test]
fn xml_shows_devices_without_the_ceremony() {
    let u = user();
    let (id, _) = enrolled(&u, "Key");
    let reply = Call::new(G, "GET", &format!("{}/{id}", webauthn::devices(&u)))
        .token(&u.token)
        .header("Accept", "application/xml")
        .send();
    reply.assert_status(200);
    assert!(reply.text.contains("<webAuthnDevice"), "{}", reply.text);
    assert!(reply.text.contains("verified=\"true\""), "{}", reply.text);
    let begun = Call::new(G, "POST", &webauthn::devices(&u))
        .token(&u.token)
        .header("Accept", "application/xml")
        .json(&json!({"RAX-AUTH:webAuthnDevice": {"name": "Xml"}}))
        .send();
    begun.assert_status(201);
    assert!(!begun.text.contains("challenge"), "{}", begun.text);
}

#[test]
fn one_challenge_is_accepted_once_under_parallel_use() {
    let u = user();
    let (id, options) = begin_ok(G, &u, "Raced");
    let answer = key(G).register(&options, &Tamper::default());
    let statuses = parallel(6, |_| finish(G, &u.token, &u, &id, &answer).status);
    assert_eq!(
        statuses.iter().filter(|s| **s == 204).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [204, 400, 503].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(table::items_of(&u.id, "WEBAUTHN#").len(), 1);
}

#[test]
fn one_session_yields_one_token_under_parallel_use() {
    let (u, _, mut key) = webauthn_user();
    let (session, options) = challenge(G, &u);
    let answers: Vec<Value> = (0..6)
        .map(|_| key.assert(&options, &Tamper::default()))
        .collect();
    let statuses = parallel(6, |i| step2(G, &session, &answers[i]).status);
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}
