//! OTP devices end to end: API.md 6.4 as amended by DECISIONS.md, the OTP cases of
//! BEHAVIOR.md 10, authorization, and bad input (right fault, nothing written).

use base64::Engine;
use integration_tests::otp::{self, code, create, create_ok, enrolled, listed};
use integration_tests::*;
use serde_json::json;

fn user() -> TestUser {
    create_user("identity:default", Some(&new_domain()))
}

fn query_param(uri: &str, name: &str) -> Option<String> {
    uri.split_once('?')?
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// Decodes the PNG data URI with a real QR decoder (rqrr), independent of the encoder.
fn decode_qr(data_uri: &str) -> String {
    let b64 = data_uri
        .strip_prefix("data:image/png;base64,")
        .expect("PNG data URI");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * channels]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("QR decodes").1
}

#[test]
fn s56_create_returns_the_key_uri_and_a_qr_code_of_it() {
    let u = user();
    let created = create_ok(&u, "NewOTPDevice");
    let reply = &created.reply;
    let device = &reply.json()["RAX-AUTH:otpDevice"];
    assert_eq!(device["id"].as_str().unwrap().len(), 32);
    assert_eq!(device["name"], "NewOTPDevice");
    assert_eq!(device["verified"], false);
    let uri = &created.key_uri;
    assert!(
        uri.starts_with("otpauth://totp/Rackspace:NewOTPDevice?"),
        "{uri}"
    );
    assert_eq!(query_param(uri, "issuer").as_deref(), Some("Rackspace"));
    let secret = query_param(uri, "secret").expect("secret");
    assert_eq!(secret.len(), 32, "base32 of 20 bytes, no padding");
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    let location = reply.header("location").expect("Location");
    assert!(
        location.ends_with(&format!(
            "/v2.0/users/{}/RAX-AUTH/multi-factor/otp-devices/{}",
            u.id, created.id
        )),
        "{location}"
    );
    assert_eq!(decode_qr(device["qrcode"].as_str().unwrap()), *uri);
}

#[test]
fn key_uri_labels_are_percent_encoded() {
    let u = user();
    let created = create_ok(&u, "  Work phone: #2 ");
    assert!(
        created
            .key_uri
            .starts_with("otpauth://totp/Rackspace:Work%20phone%3A%20%232?secret="),
        "{}",
        created.key_uri
    );
    assert_eq!(
        created.reply.json()["RAX-AUTH:otpDevice"]["name"],
        "Work phone: #2",
        "trimmed"
    );
}

#[test]
fn s57_s58_get_and_list_never_show_the_secret() {
    let u = user();
    let created = create_ok(&u, "phone");
    let got = otp::get(&u.token, &u, &created.id);
    got.assert_status(200);
    assert_eq!(
        got.json(),
        json!({"RAX-AUTH:otpDevice": {"id": created.id, "name": "phone", "verified": false}})
    );
    assert_eq!(
        listed(&u),
        vec![json!({"id": created.id, "name": "phone", "verified": false})]
    );
    let alias = Call::new(
        Gateway::Default,
        "GET",
        &format!("{}/devices/otp-devices", u.mf()),
    )
    .token(&u.token)
    .send();
    assert_eq!(alias.json()["RAX-AUTH:otpDevices"], json!(listed(&u)));
    assert!(
        !got.text.contains("keyUri")
            && !got.text.contains("qrcode")
            && !alias.text.contains("secret")
    );
}

#[test]
fn s59_verify_with_the_current_code() {
    let u = user();
    let created = create_ok(&u, "phone");
    let reply = otp::verify(&u.token, &u, &created.id, &code(&created.key_uri, 0));
    reply.assert_status(204);
    assert!(reply.text.is_empty());
    assert_eq!(
        otp::get(&u.token, &u, &created.id).json()["RAX-AUTH:otpDevice"]["verified"],
        true
    );
}

#[test]
fn the_previous_and_next_steps_are_accepted() {
    let u = user();
    // Not in the last 3 s of a step: T-1 must still be T-1 when the server checks it.
    let into_step = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 30;
    if into_step >= 27 {
        std::thread::sleep(std::time::Duration::from_secs(31 - into_step));
    }
    for offset in [-1, 1] {
        let created = create_ok(&u, &format!("offset {offset}"));
        otp::verify(&u.token, &u, &created.id, &code(&created.key_uri, offset)).assert_status(204);
    }
}

#[test]
fn s60_a_code_outside_the_window_or_of_another_device_is_400() {
    let u = user();
    let created = create_ok(&u, "phone");
    let other = create_ok(&u, "other");
    for bad in [
        code(&created.key_uri, 5),
        code(&created.key_uri, -5),
        code(&other.key_uri, 0),
        "12345".into(),
        "abcdef".into(),
    ] {
        if bad == code(&created.key_uri, 0) {
            continue; // a 1-in-a-million collision with the right code
        }
        otp::verify(&u.token, &u, &created.id, &bad).assert_fault(
            400,
            "badRequest",
            Some("The provided pin is either invalid or expired."),
        );
    }
    assert_eq!(
        otp::get(&u.token, &u, &created.id).json()["RAX-AUTH:otpDevice"]["verified"],
        false
    );
}

#[test]
fn a_code_of_another_users_device_is_refused_and_their_device_is_not_ours() {
    let (u1, u2) = (user(), user());
    let mine = create_ok(&u1, "mine");
    let theirs = create_ok(&u2, "theirs");
    otp::verify(&u1.token, &u1, &mine.id, &code(&theirs.key_uri, 0)).assert_fault(
        400,
        "badRequest",
        None,
    );
    // u2's device id under u1's path does not exist.
    otp::verify(&u1.token, &u1, &theirs.id, &code(&theirs.key_uri, 0)).assert_fault(
        404,
        "itemNotFound",
        Some("OTP device not found"),
    );
    otp::get(&u1.token, &u1, &theirs.id).assert_fault(404, "itemNotFound", None);
}

#[test]
fn s61_a_verified_device_is_not_verified_again() {
    let u = user();
    let (id, uri) = enrolled(&u, "phone");
    otp::verify(&u.token, &u, &id, &code(&uri, 1)).assert_fault(
        400,
        "badRequest",
        Some("The specified device has already been verified"),
    );
}

#[test]
fn s62_missing_blank_or_long_names_are_400_and_nothing_is_written() {
    let u = user();
    let path = format!("{}/otp-devices", u.mf());
    for body in [
        json!({"RAX-AUTH:otpDevice": {}}),
        json!({"RAX-AUTH:otpDevice": {"name": null}}),
        json!({"RAX-AUTH:otpDevice": {"name": ""}}),
        json!({"RAX-AUTH:otpDevice": {"name": "   "}}),
    ] {
        Call::new(Gateway::Default, "POST", &path)
            .token(&u.token)
            .json(&body)
            .send()
            .assert_fault(
                400,
                "badRequest",
                Some("Must provide a name for an OTP device"),
            );
    }
    create(Gateway::Default, &u.token, &u, &"x".repeat(65)).assert_fault(
        400,
        "badRequest",
        Some("OTP device name must be at most 64 characters"),
    );
    Call::new(Gateway::Default, "POST", &path)
        .token(&u.token)
        .raw(
            "application/json",
            br#"{"RAX-AUTH:otpDevice":{"name":"a","extra":1}}"#,
        )
        .send()
        .assert_fault(400, "badRequest", Some("Invalid json request body"));
    Call::new(Gateway::Default, "POST", &path)
        .token(&u.token)
        .raw("text/plain", br#"{"RAX-AUTH:otpDevice":{"name":"a"}}"#)
        .send()
        .assert_fault(415, "badMediaType", None);
    assert!(listed(&u).is_empty());
    create(Gateway::Default, &u.token, &u, &"é".repeat(64)).assert_status(201);
}

#[test]
fn s63_the_sixth_device_is_refused() {
    let u = user();
    for i in 0..5 {
        create_ok(&u, &format!("device {i}"));
    }
    create(Gateway::Default, &u.token, &u, "device 6").assert_fault(
        400,
        "badRequest",
        Some("You have added the maximum number of devices allowed for your profile"),
    );
    let names: Vec<_> = listed(&u)
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        (0..5).map(|i| format!("device {i}")).collect::<Vec<_>>(),
        "creation order"
    );
}

#[test]
fn parallel_creates_never_exceed_the_device_limit() {
    // Invariant: at most 5 OTP devices per user, whatever the interleaving.
    let u = user();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let u = &u;
                s.spawn(move || create(Gateway::Default, &u.token, u, &format!("p{i}")).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 400),
        "{statuses:?}"
    );
    assert_eq!(listed(&u).len(), 5);
}

#[test]
fn s64_s65_unknown_device_ids_are_404() {
    let u = user();
    create_ok(&u, "phone");
    let unknown = "ffffffffffffffffffffffffffffffff";
    otp::get(&u.token, &u, unknown).assert_fault(404, "itemNotFound", Some("OTP device not found"));
    otp::verify(&u.token, &u, unknown, "123456").assert_fault(
        404,
        "itemNotFound",
        Some("OTP device not found"),
    );
    otp::delete(&u.token, &u, unknown).assert_fault(
        404,
        "itemNotFound",
        Some("The device was not found on the specified user"),
    );
    assert_eq!(listed(&u).len(), 1);
}

#[test]
fn s66_delete_removes_the_device_and_frees_its_place() {
    let u = user();
    let ids: Vec<String> = (0..5).map(|i| create_ok(&u, &format!("d{i}")).id).collect();
    let reply = otp::delete(&u.token, &u, &ids[0]);
    reply.assert_status(204);
    assert!(reply.text.is_empty());
    otp::get(&u.token, &u, &ids[0]).assert_fault(404, "itemNotFound", None);
    create_ok(&u, "d5");
    assert_eq!(listed(&u).len(), 5);
}

#[test]
fn s71_the_last_verified_device_of_an_otp_user_stays() {
    // BEHAVIOR.md 2.10 / 10 #109.
    let u = user();
    let (first, key_uri) = enrolled(&u, "first");
    let unverified = create_ok(&u, "unverified");
    mfa::put(&u.token, &u, json!({"enabled": true, "factorType": "OTP"})).assert_status(204);
    let u = mfa::with_token(&u, mfa::login_otp(&u, &key_uri));
    otp::delete(&u.token, &u, &first).assert_fault(
        400,
        "badRequest",
        Some("Error code: 'OTP-006'; You can not delete the last verified OTP device when your account is configured to use OTP multifactor."),
    );
    otp::delete(&u.token, &u, &unverified.id).assert_status(204);
    let (second, _) = enrolled(&u, "second");
    otp::delete(&u.token, &u, &first).assert_status(204);
    otp::delete(&u.token, &u, &second).assert_fault(400, "badRequest", None);
    assert_eq!(listed(&u).len(), 1);
}

#[test]
fn with_sms_as_the_factor_verified_otp_devices_may_all_go() {
    let u = user();
    let e164 = mfa::enable_sms(&u);
    let u = mfa::with_token(&u, mfa::login_sms(&u, &e164));
    let (id, _) = enrolled(&u, "only");
    otp::delete(&u.token, &u, &id).assert_status(204);
}

#[test]
fn all_devices_lists_phones_and_otp_devices() {
    // BEHAVIOR.md 10 #98.
    let u = user();
    let all = || {
        Call::new(Gateway::Default, "GET", &format!("{}/devices", u.mf()))
            .token(&u.token)
            .send()
    };
    let reply = all();
    reply.assert_status(200);
    assert_eq!(
        reply.json(),
        json!({"RAX-AUTH:multiFactorDevices": {
            "mobilePhones": [], "otpDevices": [], "webAuthnDevices": []}})
    );
    let phone = phones::add_ok(&u, "+1 210-312-4600");
    let device = create_ok(&u, "phone");
    assert_eq!(
        all().json(),
        json!({"RAX-AUTH:multiFactorDevices": {
            "mobilePhones": [{"id": phone, "number": "+1 210-312-4600", "verified": false}],
            "otpDevices": [{"id": device.id, "name": "phone", "verified": false}],
            "webAuthnDevices": [],
        }})
    );
}

#[test]
fn who_may_see_whose_device() {
    // BEHAVIOR.md 10 #30, #31.
    let (d1, d2) = (new_domain(), new_domain());
    let sa = create_user("identity:service-admin", None);
    let ia = create_user("identity:admin", None);
    let ua1 = create_user("identity:user-admin", Some(&d1));
    let um1 = create_user("identity:user-manage", Some(&d1));
    let du1 = create_user("identity:default", Some(&d1));
    let ua2 = create_user("identity:user-admin", Some(&d2));
    let um2 = create_user("identity:user-manage", Some(&d2));
    let du2 = create_user("identity:default", Some(&d2));
    let ua_device = create_ok(&ua1, "ua").id;
    let du_device = create_ok(&du1, "du").id;

    otp::get(&um1.token, &ua1, &ua_device).assert_fault(403, "forbidden", Some("Not Authorized"));
    otp::get(&du1.token, &ua1, &ua_device).assert_fault(403, "forbidden", None);
    for outsider in [&ua2, &um2, &du2] {
        otp::get(&outsider.token, &du1, &du_device).assert_fault(403, "forbidden", None);
    }
    for insider in [&sa, &ia, &ua1, &um1, &du1] {
        otp::get(&insider.token, &du1, &du_device).assert_status(200);
    }
    otp::get(&ua1.token, &ua1, &ua_device).assert_status(200);
    let ghost = TestUser {
        id: "nosuchuser".into(),
        ..du1.clone()
    };
    otp::get(&ia.token, &ghost, &du_device).assert_fault(
        404,
        "itemNotFound",
        Some("User nosuchuser not found"),
    );
    // Create, verify and delete apply precedence too.
    create(Gateway::Default, &du2.token, &du1, "x").assert_fault(403, "forbidden", None);
    create(Gateway::Default, &um1.token, &du1, "by manager").assert_status(201);
    otp::verify(&ua2.token, &du1, &du_device, "123456").assert_fault(403, "forbidden", None);
    otp::delete(&ua2.token, &du1, &du_device).assert_fault(403, "forbidden", None);
    otp::delete(&ua1.token, &du1, &du_device).assert_status(204);
}

#[test]
fn the_name_is_checked_before_precedence() {
    // BEHAVIOR.md 2.8: a blank name is 400 even for a caller without precedence.
    let domain = new_domain();
    let (u1, u2) = (
        create_user("identity:default", Some(&domain)),
        create_user("identity:default", Some(&domain)),
    );
    create(Gateway::Default, &u2.token, &u1, " ").assert_fault(
        400,
        "badRequest",
        Some("Must provide a name for an OTP device"),
    );
    create(Gateway::Default, &u2.token, &u1, "named").assert_fault(403, "forbidden", None);
}

#[test]
fn otp_secrets_are_stored_only_sealed() {
    // Envelope encryption at rest: the item holds a KMS-wrapped data key, a nonce and the
    // ciphertext; neither the secret nor its raw bytes appear in any encoding.
    let u = user();
    let created = create_ok(&u, "phone");
    let secret = query_param(&created.key_uri, "secret").expect("secret");
    let raw = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .expect("base32");
    let items = table::items_of(&u.id, "OTP#");
    assert_eq!(items.len(), 1);
    let dump = format!("{items:?}");
    for encoding in [
        secret.clone(),
        hex::encode(&raw),
        base64::engine::general_purpose::STANDARD.encode(&raw),
    ] {
        assert!(
            !dump.contains(&encoding),
            "the OTP secret is stored readable"
        );
    }
    let sealed = items[0]["secret"].as_m().expect("secret is a map");
    for field in ["wrappedKey", "nonce", "ciphertext"] {
        assert!(sealed.contains_key(field), "{field}");
    }
    // And it still works.
    otp::verify(&u.token, &u, &created.id, &code(&created.key_uri, 0)).assert_status(204);
}
