//! The rules of `POST …/webauthn-devices/{deviceId}/verify` (WEBAUTHN.md "Operations" 2): an
//! unverified device of the user whose registration challenge is still live, and an answer
//! the relying party accepts for it. Every refusal of the answer is one message; its reason
//! goes to the log by name.

use mfa_shared::error::msg;
use mfa_shared::model::{Account, WebAuthnDevice};
use mfa_shared::webauthn::{finish_registration, Refusal, Registered, RelyingParty};
use mfa_shared::ApiError;
use serde_json::Value;

/// What made a registration fail.
#[derive(Debug)]
pub enum Refused {
    /// Not this user's device, or verified already: the usual fault.
    Fault(ApiError),
    /// The answer: 400 WAN-002, nothing changed (the challenge stays usable until it expires).
    Answer(Refusal),
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Fault(fault) => fault,
            Refused::Answer(refusal) => refusal.internal().unwrap_or_else(|| {
                tracing::info!(reason = refusal.name(), "WebAuthn registration refused");
                ApiError::bad_request(msg::WEBAUTHN_NOT_VERIFIED)
            }),
        }
    }
}

/// The device and its new credential.
pub fn decide<'a>(
    target: &'a Account,
    device_id: &str,
    rp: &RelyingParty,
    answer: &Value,
    now: i64,
) -> Result<(&'a WebAuthnDevice, Registered), Refused> {
    let device = target
        .webauthn_device(device_id)
        .ok_or_else(|| Refused::Fault(ApiError::not_found(msg::WEBAUTHN_DEVICE_NOT_FOUND)))?;
    if device.verified {
        let fault = ApiError::bad_request(msg::WEBAUTHN_ALREADY_VERIFIED);
        return Err(Refused::Fault(fault));
    }
    let ceremony = device
        .registration
        .as_ref()
        .filter(|r| now < r.expires_at_ms)
        .ok_or(Refused::Answer(Refusal::Expired))?;
    let registered = finish_registration(rp, &ceremony.state, answer).map_err(Refused::Answer)?;
    Ok((device, registered))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::{config, member, SoftKey, Tamper, ORIGIN, RP_ID};
    use mfa_shared::webauthn::begin_registration;

    const NOW: i64 = 1_000_000;

    /// A user with one device whose registration began at NOW (live five minutes).
    fn begun(rp: &RelyingParty) -> (Account, Value) {
        let mut t = member("t", "identity:default", "acme");
        let options = begin_registration(rp, "aGFuZGxl", "t-name", &[]).unwrap();
        t.webauthn_devices = vec![WebAuthnDevice::unverified(
            "d".into(),
            "Key".into(),
            options.state,
            NOW + 300_000,
            NOW,
        )];
        (t, options.public_key)
    }

    fn status_and_message(refused: Refused) -> (u16, String) {
        let fault = ApiError::from(refused);
        (fault.status(), fault.to_string())
    }

    #[test]
    fn the_users_live_ceremony_and_an_answer_for_it() {
        let rp = RelyingParty::new(&config().webauthn).unwrap();
        let (t, options) = begun(&rp);
        let mut key = SoftKey::new(ORIGIN, RP_ID);
        let answer = key.register(&options, &Tamper::default());
        let (device, registered) = decide(&t, "d", &rp, &answer, NOW + 1).unwrap();
        assert_eq!(
            (device.id.as_str(), registered.credential_id),
            ("d", key.id())
        );
        let wan_002 = (400, msg::WEBAUTHN_NOT_VERIFIED.to_owned());
        assert_eq!(
            status_and_message(decide(&t, "d", &rp, &answer, NOW + 300_000).unwrap_err()),
            wan_002,
            "expired"
        );
        let wrong_origin = Tamper {
            origin: Some("https://evil.example".into()),
            ..Tamper::default()
        };
        let bad = key.register(&options, &wrong_origin);
        assert_eq!(
            status_and_message(decide(&t, "d", &rp, &bad, NOW).unwrap_err()),
            wan_002
        );
        assert_eq!(
            status_and_message(decide(&t, "x", &rp, &answer, NOW).unwrap_err()),
            (404, msg::WEBAUTHN_DEVICE_NOT_FOUND.to_owned())
        );
        let mut verified = t.clone();
        verified.webauthn_devices[0].verified = true;
        assert_eq!(
            status_and_message(decide(&verified, "d", &rp, &answer, NOW).unwrap_err()),
            (400, msg::WEBAUTHN_ALREADY_VERIFIED.to_owned())
        );
    }
}
