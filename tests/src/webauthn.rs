//! WebAuthn helpers: the software authenticator of `mfa-shared`'s fixtures answering the real
//! API's options, as a browser with a security key would.

use super::*;
pub use mfa_shared::fixtures::{SoftKey, Tamper};

/// The origin a browser on this gateway sends: its URL with `localhost` (the RP id).
pub fn origin(gateway: Gateway) -> String {
    let url = gateway.url();
    let port = url.rsplit(':').next().expect("a port");
    format!("http://localhost:{port}")
}

/// A new security key for pages of this gateway (its public key noted for the log scan).
pub fn key(gateway: Gateway) -> SoftKey {
    let key = SoftKey::new(&origin(gateway), "localhost");
    key.public_key_forms()
        .iter()
        .for_each(|f| remember_secret(f));
    remember_secret(&key.id());
    key
}

pub fn devices(target: &TestUser) -> String {
    format!("{}/webauthn-devices", target.mf())
}

pub fn begin(gateway: Gateway, token: &str, target: &TestUser, name: &str) -> Reply {
    Call::new(gateway, "POST", &devices(target))
        .token(token)
        .json(&json!({"RAX-AUTH:webAuthnDevice": {"name": name}}))
        .send()
}

/// A begun registration: the device id and the creation options (`publicKey`).
pub fn begin_ok(gateway: Gateway, user: &TestUser, name: &str) -> (String, Value) {
    let reply = begin(gateway, &user.token, user, name);
    reply.assert_status(201);
    let device = reply.json()["RAX-AUTH:webAuthnDevice"].clone();
    let id = device["id"].as_str().expect("id").to_owned();
    (id, device["publicKey"].clone())
}

pub fn finish(
    gateway: Gateway,
    token: &str,
    target: &TestUser,
    device_id: &str,
    answer: &Value,
) -> Reply {
    Call::new(
        gateway,
        "POST",
        &format!("{}/{device_id}/verify", devices(target)),
    )
    .token(token)
    .json(&json!({ "RAX-AUTH:webAuthnCredential": answer }))
    .send()
}

pub fn get(token: &str, target: &TestUser, device_id: &str) -> Reply {
    Call::new(
        Gateway::Default,
        "GET",
        &format!("{}/{device_id}", devices(target)),
    )
    .token(token)
    .send()
}

pub fn delete(token: &str, target: &TestUser, device_id: &str) -> Reply {
    Call::new(
        Gateway::Default,
        "DELETE",
        &format!("{}/{device_id}", devices(target)),
    )
    .token(token)
    .send()
}

pub fn listed(user: &TestUser) -> Vec<Value> {
    let reply = Call::new(Gateway::Default, "GET", &devices(user))
        .token(&user.token)
        .send();
    reply.assert_status(200);
    reply.json()["RAX-AUTH:webAuthnDevices"]
        .as_array()
        .cloned()
        .expect("array")
}

/// A registered and verified key: its device id and the key.
pub fn enrolled(user: &TestUser, name: &str) -> (String, SoftKey) {
    let mut key = key(Gateway::Default);
    let (id, options) = begin_ok(Gateway::Default, user, name);
    let answer = key.register(&options, &Tamper::default());
    finish(Gateway::Default, &user.token, user, &id, &answer).assert_status(204);
    (id, key)
}

/// A verified key and MFA on with WebAuthn, as the user: the device id and the key.
pub fn enable(user: &TestUser) -> (String, SoftKey) {
    let (id, key) = enrolled(user, "YubiKey 5C");
    mfa::put(
        &user.token,
        user,
        json!({"enabled": true, "factorType": "WEBAUTHN"}),
    )
    .assert_status(204);
    (id, key)
}

/// Step 1 for a WebAuthn user: the session id and the request options (`publicKey`).
pub fn challenge(gateway: Gateway, user: &TestUser) -> (String, Value) {
    let reply = login_reply(gateway, &user.username, &user.password);
    reply.assert_status(401);
    let options = reply.json()["RAX-AUTH:webAuthnOptions"]["publicKey"].clone();
    (mfa::session_id(&reply), options)
}

pub fn step2(gateway: Gateway, session_id: &str, answer: &Value) -> Reply {
    Call::new(gateway, "POST", "/v2.0/tokens")
        .header("X-SessionId", session_id)
        .json(&json!({"auth": {"RAX-AUTH:webAuthnCredentials": answer}}))
        .send()
}

/// A complete WebAuthn login with `key`; returns the MFA token.
pub fn login(user: &TestUser, key: &mut SoftKey) -> String {
    let (session, options) = challenge(Gateway::Default, user);
    let reply = step2(
        Gateway::Default,
        &session,
        &key.assert(&options, &Tamper::default()),
    );
    reply.assert_status(200);
    reply.token()
}
