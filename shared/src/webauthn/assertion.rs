//! The authentication ceremony of the login's second step (WEBAUTHN.md "Login").

use super::{base64url, credential, without_nulls, AssertionResponse, Refusal, RelyingParty};
use crate::model::WebAuthnDevice;
use crate::ApiError;
use serde_json::{json, Value};
use webauthn_rs_core::proto::AuthenticationState;

/// A login challenge: the options for the browser (`PublicKeyCredentialRequestOptionsJSON`)
/// and the state the session keeps.
pub struct AssertionOptions {
    pub public_key: Value,
    /// The library's ceremony state (JSON): this session's challenge and the policy. The
    /// credentials are left out: the answer is checked against the devices as stored then.
    pub state: String,
}

impl AssertionOptions {
    /// Options that allow the user's verified devices (with the transports they reported),
    /// announcing `timeout_ms` (the session's remaining lifetime).
    pub fn new<'a>(
        rp: &RelyingParty,
        devices: impl Iterator<Item = &'a WebAuthnDevice>,
        timeout_ms: i64,
    ) -> Result<Self, ApiError> {
        let credentials = devices
            .filter_map(|d| d.credential.as_deref().map(|c| credential(c, d.sign_count)))
            .collect::<Result<Vec<_>, _>>()?;
        let library = |e| ApiError::Internal(format!("WebAuthn request options: {e:?}"));
        let builder = rp
            .core
            .new_challenge_authenticate_builder(credentials, Some(rp.policy))
            .map_err(library)?;
        let (challenge, mut state) = rp
            .core
            .generate_challenge_authenticate(builder)
            .map_err(library)?;
        state.set_allowed_credentials(Vec::new());
        let mut public_key = serde_json::to_value(challenge.public_key)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        public_key["timeout"] = json!(timeout_ms.max(0));
        Ok(Self {
            public_key: without_nulls(public_key),
            state: serde_json::to_string(&state).map_err(|e| ApiError::Internal(e.to_string()))?,
        })
    }
}

/// A verified assertion: the device it came from and its new counter.
#[derive(Debug)]
pub struct Asserted<'a> {
    pub device: &'a WebAuthnDevice,
    pub sign_count: u32,
}

/// Checks an `AuthenticationResponseJSON` against the session's state and the user's verified
/// devices as stored now: the credential must be one of them; client data (type, challenge,
/// origin), RP id hash, user presence (and verification), signature, and a counter above the
/// stored one unless both are 0.
pub fn verify_assertion<'a>(
    rp: &RelyingParty,
    state: &str,
    response: &AssertionResponse,
    devices: impl Iterator<Item = &'a WebAuthnDevice>,
) -> Result<Asserted<'a>, Refusal> {
    let state: AuthenticationState =
        serde_json::from_str(state).map_err(|_| Refusal::Unreadable)?;
    let id = base64url(response.raw_id.as_ref());
    let device = devices
        .filter(|d| d.verified)
        .find(|d| d.credential_id.as_deref() == Some(id.as_str()))
        .ok_or(Refusal::UnknownCredential)?;
    let stored = device
        .credential
        .as_deref()
        .ok_or(Refusal::UnknownCredential)?;
    let credential = credential(stored, device.sign_count).map_err(|_| Refusal::Unreadable)?;
    let result = rp
        .core
        .authenticate_single_credential(response, &state, &credential)?;
    Ok(Asserted {
        device,
        sign_count: result.counter(),
    })
}
