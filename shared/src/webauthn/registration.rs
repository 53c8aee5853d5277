//! The registration ceremony (WEBAUTHN.md "Operations" 1-2).

use super::{base64url, without_nulls, Refusal, RelyingParty};
use crate::ApiError;
use serde_json::{json, Value};
use webauthn_rs_core::proto::{
    AttestationConveyancePreference, COSEAlgorithm, RegisterPublicKeyCredential, RegistrationState,
};

/// What a registration begins with: the options for the browser
/// (`PublicKeyCredentialCreationOptionsJSON`) and the state to keep until it answers.
pub struct RegistrationOptions {
    pub public_key: Value,
    /// The library's ceremony state (JSON; holds the challenge).
    pub state: String,
}

/// A new credential: the library's stored form (JSON), its id (base64url), its counter.
#[derive(Debug)]
pub struct Registered {
    pub credential: String,
    pub credential_id: String,
    pub sign_count: u32,
}

/// Options for a new credential of the user with this handle (base64url), excluding `exclude`
/// (the ids of the user's verified credentials, base64url). ES256, ES384 and RS256 are offered; attestation
/// `none`; a discoverable credential preferred, not required.
pub fn begin_registration(
    rp: &RelyingParty,
    user_handle: &str,
    username: &str,
    exclude: &[&str],
) -> Result<RegistrationOptions, ApiError> {
    let user_handle = decode(user_handle)
        .ok_or_else(|| ApiError::Internal("a WebAuthn user handle that is not base64url".into()))?;
    let exclude = exclude
        .iter()
        .filter_map(|id| decode(id))
        .collect::<Vec<_>>();
    let library = |e| ApiError::Internal(format!("WebAuthn registration options: {e:?}"));
    let builder = rp
        .core
        .new_challenge_register_builder(&user_handle, username, username)
        .map_err(library)?
        .attestation(AttestationConveyancePreference::None)
        .user_verification_policy(rp.policy)
        .credential_algorithms(COSEAlgorithm::secure_algs())
        .exclude_credentials(Some(exclude));
    let (challenge, state) = rp
        .core
        .generate_challenge_register(builder)
        .map_err(library)?;
    let mut public_key = serde_json::to_value(challenge.public_key)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    // The library knows "required" and "discouraged" only; "preferred" is a hint to the
    // authenticator that nothing on our side depends on.
    public_key["authenticatorSelection"]["residentKey"] = json!("preferred");
    public_key["authenticatorSelection"]["requireResidentKey"] = json!(false);
    Ok(RegistrationOptions {
        public_key: without_nulls(public_key),
        state: serde_json::to_string(&state).map_err(|e| ApiError::Internal(e.to_string()))?,
    })
}

/// Checks the browser's `RegistrationResponseJSON` against the ceremony's state: client data
/// (type, challenge, origin), RP id hash, user presence (and verification when required),
/// attestation (`none`, `packed`, …), the algorithm. Unknown members are ignored.
pub fn finish_registration(
    rp: &RelyingParty,
    state: &str,
    response: &Value,
) -> Result<Registered, Refusal> {
    let state: RegistrationState = serde_json::from_str(state).map_err(|_| Refusal::Unreadable)?;
    let response: RegisterPublicKeyCredential =
        serde_json::from_value(response.clone()).map_err(|_| Refusal::Malformed)?;
    let mut credential = rp.core.register_credential(&response, &state, None)?;
    // The library keeps transports only from attested formats; the contract lists what the
    // browser reported whatever the format (a hint for the login's allowCredentials: a wrong
    // one can only make the browser look in the wrong place).
    credential.transports = response.response.transports.clone();
    Ok(Registered {
        credential_id: base64url(&credential.cred_id),
        sign_count: credential.counter,
        credential: serde_json::to_string(&credential).map_err(|_| Refusal::Unreadable)?,
    })
}

fn decode(id: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .ok()
}
