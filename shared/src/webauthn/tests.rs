//! Both ceremonies against the software authenticator, and every answer the contract refuses.

use super::*;
use crate::config::UserVerification;
use crate::fixtures::{config, SoftKey, Tamper, ORIGIN, RP_ID};
use crate::model::WebAuthnDevice;

const HANDLE: &str = "aGFuZGxlLTAxMjM0NTY3";

fn rp(verification: UserVerification) -> RelyingParty {
    let mut c = config().webauthn;
    c.user_verification = verification;
    RelyingParty::new(&c).unwrap()
}

/// A device registered by a fresh key (the key returned to sign with).
fn registered(rp: &RelyingParty, id: &str) -> (WebAuthnDevice, SoftKey) {
    let mut key = SoftKey::new(ORIGIN, RP_ID);
    let options = begin_registration(rp, HANDLE, "jq", &[]).unwrap();
    let answer = key.register(&options.public_key, &Tamper::default());
    let new = finish_registration(rp, &options.state, &answer).unwrap();
    let mut device = crate::fixtures::webauthn_device(id, true);
    device.credential = Some(new.credential);
    device.credential_id = Some(new.credential_id);
    device.sign_count = new.sign_count;
    (device, key)
}

fn refused_registration(rp: &RelyingParty, tamper: Tamper) -> Refusal {
    let mut key = SoftKey::new(ORIGIN, RP_ID);
    let options = begin_registration(rp, HANDLE, "jq", &[]).unwrap();
    let answer = key.register(&options.public_key, &tamper);
    finish_registration(rp, &options.state, &answer).unwrap_err()
}

#[test]
fn registration_options_follow_the_contract() {
    let rp = rp(UserVerification::Preferred);
    let options = begin_registration(&rp, HANDLE, "jq", &["AAEC"]).unwrap();
    let o = &options.public_key;
    assert_eq!(
        o["rp"],
        serde_json::json!({"id": "localhost", "name": "Rackspace"})
    );
    assert_eq!(o["user"]["id"], HANDLE);
    assert_eq!(
        (
            o["user"]["name"].as_str(),
            o["user"]["displayName"].as_str()
        ),
        (Some("jq"), Some("jq"))
    );
    let challenge = o["challenge"].as_str().unwrap();
    assert!(challenge.len() >= 22, "at least 16 bytes: {challenge}");
    let algorithms: Vec<i64> = o["pubKeyCredParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["alg"].as_i64().unwrap())
        .collect();
    assert!(
        algorithms.contains(&-7) && algorithms.contains(&-257),
        "{algorithms:?}"
    );
    assert_eq!(o["timeout"], 300_000);
    assert_eq!(o["excludeCredentials"][0]["id"], "AAEC");
    assert_eq!(o["authenticatorSelection"]["residentKey"], "preferred");
    assert_eq!(o["authenticatorSelection"]["userVerification"], "preferred");
    assert_eq!(o["attestation"], "none");
    assert!(!o.to_string().contains("null"), "{o}");
    let again = begin_registration(&rp, HANDLE, "jq", &[]).unwrap();
    assert_ne!(again.public_key["challenge"], o["challenge"]);
}

#[test]
fn a_registration_is_accepted_with_none_or_packed_self_attestation() {
    let rp = rp(UserVerification::Preferred);
    let (device, key) = registered(&rp, "d");
    assert_eq!(device.credential_id.as_deref(), Some(key.id().as_str()));
    assert_eq!(device.sign_count, 0);
    let mut packed = SoftKey::new(ORIGIN, RP_ID);
    let options = begin_registration(&rp, HANDLE, "jq", &[]).unwrap();
    let tamper = Tamper {
        packed: true,
        ..Tamper::default()
    };
    let answer = packed.register(&options.public_key, &tamper);
    assert!(finish_registration(&rp, &options.state, &answer).is_ok());
}

#[test]
fn registrations_the_contract_refuses() {
    let preferred = rp(UserVerification::Preferred);
    let required = rp(UserVerification::Required);
    let other_challenge = Some(base64url(&[7; 32]));
    for (rp, tamper, why) in [
        (
            &preferred,
            Tamper {
                origin: Some("http://localhost:4000".into()),
                ..Tamper::default()
            },
            Refusal::Origin,
        ),
        (
            &preferred,
            Tamper {
                origin: Some("https://evil.example".into()),
                ..Tamper::default()
            },
            Refusal::Origin,
        ),
        (
            &preferred,
            Tamper {
                rp_id: Some("example.com".into()),
                ..Tamper::default()
            },
            Refusal::RpId,
        ),
        (
            &preferred,
            Tamper {
                ceremony: Some("webauthn.get"),
                ..Tamper::default()
            },
            Refusal::CeremonyType,
        ),
        (
            &preferred,
            Tamper {
                challenge: other_challenge.clone(),
                ..Tamper::default()
            },
            Refusal::Challenge,
        ),
        (
            &preferred,
            Tamper {
                no_user_presence: true,
                ..Tamper::default()
            },
            Refusal::UserPresence,
        ),
        (
            &required,
            Tamper {
                no_user_verification: true,
                ..Tamper::default()
            },
            Refusal::UserVerification,
        ),
        (
            &preferred,
            Tamper {
                truncate_attestation: true,
                ..Tamper::default()
            },
            Refusal::Malformed,
        ),
    ] {
        assert_eq!(refused_registration(rp, tamper.clone()), why, "{tamper:?}");
    }
    // Without user verification where it is only preferred: accepted.
    let mut key = SoftKey::new(ORIGIN, RP_ID);
    let options = begin_registration(&preferred, HANDLE, "jq", &[]).unwrap();
    let no_uv = Tamper {
        no_user_verification: true,
        ..Tamper::default()
    };
    let answer = key.register(&options.public_key, &no_uv);
    assert!(finish_registration(&preferred, &options.state, &answer).is_ok());
    // Not JSON of the right shape at all.
    let options = begin_registration(&preferred, HANDLE, "jq", &[]).unwrap();
    let junk = serde_json::json!({"id": "x", "response": {}});
    assert_eq!(
        finish_registration(&preferred, &options.state, &junk).unwrap_err(),
        Refusal::Malformed
    );
}

fn assertion_options(rp: &RelyingParty, devices: &[WebAuthnDevice]) -> AssertionOptions {
    AssertionOptions::new(rp, devices.iter(), 120_000).unwrap()
}

fn check(
    rp: &RelyingParty,
    options: &AssertionOptions,
    answer: serde_json::Value,
    devices: &[WebAuthnDevice],
) -> Result<u32, Refusal> {
    let response: AssertionResponse = serde_json::from_value(answer).unwrap();
    verify_assertion(rp, &options.state, &response, devices.iter()).map(|a| a.sign_count)
}

#[test]
fn request_options_allow_the_verified_devices_with_their_transports() {
    let rp = rp(UserVerification::Preferred);
    let (device, key) = registered(&rp, "d");
    let options = assertion_options(&rp, std::slice::from_ref(&device));
    let o = &options.public_key;
    assert_eq!(o["rpId"], "localhost");
    assert_eq!(o["timeout"], 120_000);
    assert_eq!(o["userVerification"], "preferred");
    assert_eq!(o["allowCredentials"][0]["id"], key.id());
    assert_eq!(
        o["allowCredentials"][0]["transports"],
        serde_json::json!(["usb"])
    );
    assert!(
        !options.state.contains(&key.id()),
        "the state holds no credential"
    );
}

#[test]
fn an_assertion_is_accepted_and_its_counter_must_rise() {
    let rp = rp(UserVerification::Preferred);
    let (mut device, mut key) = registered(&rp, "d");
    let options = assertion_options(&rp, std::slice::from_ref(&device));
    let answer = key.assert(&options.public_key, &Tamper::default());
    let devices = vec![device.clone()];
    assert_eq!(check(&rp, &options, answer.clone(), &devices), Ok(1));
    device.sign_count = 1;
    let devices = vec![device.clone()];
    assert_eq!(
        check(&rp, &options, answer, &devices),
        Err(Refusal::Counter),
        "the same counter again"
    );
    let back = Tamper {
        counter: Some(0),
        ..Tamper::default()
    };
    let answer = key.assert(&options.public_key, &back);
    assert_eq!(
        check(&rp, &options, answer, &devices),
        Err(Refusal::Counter),
        "a counter gone back"
    );
    let answer = key.assert(&options.public_key, &Tamper::default());
    assert_eq!(
        check(&rp, &options, answer, &devices),
        Ok(3),
        "a higher counter works again"
    );
}

#[test]
fn an_authenticator_that_never_counts_is_accepted_at_zero() {
    let rp = rp(UserVerification::Preferred);
    let (device, mut key) = registered(&rp, "d");
    key.counts = false;
    let options = assertion_options(&rp, std::slice::from_ref(&device));
    let devices = vec![device];
    for _ in 0..2 {
        let answer = key.assert(&options.public_key, &Tamper::default());
        assert_eq!(check(&rp, &options, answer, &devices), Ok(0));
    }
}

#[test]
fn assertions_the_contract_refuses() {
    let preferred = rp(UserVerification::Preferred);
    let (device, mut key) = registered(&preferred, "d");
    let options = assertion_options(&preferred, std::slice::from_ref(&device));
    let devices = vec![device.clone()];
    let other_challenge = Some(base64url(&[7; 32]));
    for (tamper, why) in [
        (
            Tamper {
                origin: Some("https://evil.example".into()),
                ..Tamper::default()
            },
            Refusal::Origin,
        ),
        (
            Tamper {
                rp_id: Some("example.com".into()),
                ..Tamper::default()
            },
            Refusal::RpId,
        ),
        (
            Tamper {
                ceremony: Some("webauthn.create"),
                ..Tamper::default()
            },
            Refusal::CeremonyType,
        ),
        (
            Tamper {
                challenge: other_challenge.clone(),
                ..Tamper::default()
            },
            Refusal::Challenge,
        ),
        (
            Tamper {
                signature: true,
                ..Tamper::default()
            },
            Refusal::Signature,
        ),
        (
            Tamper {
                no_user_presence: true,
                ..Tamper::default()
            },
            Refusal::UserPresence,
        ),
        // Registered with user verification: it may not be dropped later.
        (
            Tamper {
                no_user_verification: true,
                ..Tamper::default()
            },
            Refusal::UserVerification,
        ),
    ] {
        let answer = key.assert(&options.public_key, &tamper);
        assert_eq!(
            check(&preferred, &options, answer, &devices),
            Err(why),
            "{tamper:?}"
        );
    }
    // Another session's challenge: the options of a second session.
    let second = assertion_options(&preferred, std::slice::from_ref(&device));
    let answer = key.assert(&second.public_key, &Tamper::default());
    assert_eq!(
        check(&preferred, &options, answer, &devices),
        Err(Refusal::Challenge)
    );
    // A credential that is not one of this user's verified devices.
    let (_, mut stranger) = registered(&preferred, "s");
    let answer = stranger.assert(&options.public_key, &Tamper::default());
    assert_eq!(
        check(&preferred, &options, answer, &devices),
        Err(Refusal::UnknownCredential)
    );
    let mut unverified = device.clone();
    unverified.verified = false;
    let answer = key.assert(&options.public_key, &Tamper::default());
    assert_eq!(
        check(&preferred, &options, answer, &[unverified]),
        Err(Refusal::UnknownCredential)
    );
}

#[test]
fn unreadable_stored_state_is_the_services_fault_not_the_answers() {
    let rp = rp(UserVerification::Preferred);
    let (device, mut key) = registered(&rp, "d");
    let options = assertion_options(&rp, std::slice::from_ref(&device));
    let answer = key.assert(&options.public_key, &Tamper::default());
    let mut corrupt = device.clone();
    corrupt.credential = Some("{not a credential".into());
    assert_eq!(
        check(&rp, &options, answer.clone(), &[corrupt]),
        Err(Refusal::Unreadable)
    );
    let response: AssertionResponse = serde_json::from_value(answer).unwrap();
    assert_eq!(
        verify_assertion(&rp, "{", &response, std::iter::once(&device)).err(),
        Some(Refusal::Unreadable)
    );
    assert_eq!(
        Refusal::Unreadable.internal().map(|e| e.status()),
        Some(500)
    );
    assert!(Refusal::Signature.internal().is_none());
    let options = begin_registration(&rp, HANDLE, "jq", &[]).unwrap();
    let answer = key.register(&options.public_key, &Tamper::default());
    assert_eq!(
        finish_registration(&rp, "[]", &answer).unwrap_err(),
        Refusal::Unreadable
    );
}

#[test]
fn required_user_verification_refuses_an_assertion_without_it() {
    let required = rp(UserVerification::Required);
    let (device, mut key) = registered(&required, "d");
    let options = assertion_options(&required, std::slice::from_ref(&device));
    assert_eq!(options.public_key["userVerification"], "required");
    let devices = vec![device];
    let no_uv = Tamper {
        no_user_verification: true,
        ..Tamper::default()
    };
    let answer = key.assert(&options.public_key, &no_uv);
    assert_eq!(
        check(&required, &options, answer, &devices),
        Err(Refusal::UserVerification)
    );
    let answer = key.assert(&options.public_key, &Tamper::default());
    assert!(check(&required, &options, answer, &devices).is_ok());
}
