//! The WebAuthn relying party (WEBAUTHN.md): both ceremonies, through webauthn-rs-core, the
//! verification layer of kanidm's webauthn-rs. Its safe wrapper (`webauthn-rs`) fixes what the
//! contract makes configuration — user verification `required`/`preferred`/`discouraged`,
//! `residentKey: "preferred"` — so the options are built here on the core, which does every
//! check of the ceremonies (client data, RP id hash, flags, attestation, signature, counter).
//!
//! Everything here is pure computation on values read from the store: no I/O. The library logs
//! ceremony contents (at debug and trace, and parser errors with their input at error level);
//! `runtime` turns its targets off so that no challenge, credential or assertion reaches a log
//! line whatever `LOG_LEVEL` says.

mod assertion;
mod refusal;
mod registration;

pub use assertion::{verify_assertion, Asserted, AssertionOptions};
pub use refusal::Refusal;
pub use registration::{begin_registration, finish_registration, Registered, RegistrationOptions};
/// The library's form of a login answer (`RAX-AUTH:webAuthnCredentials`).
pub use webauthn_rs_core::proto::PublicKeyCredential as AssertionResponse;

use crate::config::{UserVerification, WebAuthnConfig};
use crate::ApiError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use webauthn_rs_core::proto::UserVerificationPolicy;
use webauthn_rs_core::WebauthnCore;

/// The prefix of the library's log targets (`webauthn_rs_core`, `webauthn_rs_proto`, …), off
/// in `runtime` (see the module doc).
pub const LIBRARY_LOG_TARGET: &str = "webauthn";

/// The relying party of this deployment, from `WEBAUTHN_*`.
pub struct RelyingParty {
    core: WebauthnCore,
    policy: UserVerificationPolicy,
}

impl RelyingParty {
    /// `timeout` is what the options announce (a ceremony's lifetime; login overrides it).
    pub fn new(config: &WebAuthnConfig) -> Result<Self, ApiError> {
        let origins = config
            .origins
            .iter()
            .map(|o| url::Url::parse(o).map_err(|e| ApiError::Internal(format!("origin {o}: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            core: WebauthnCore::new_unsafe_experts_only(
                &config.rp_name,
                &config.rp_id,
                origins,
                config.ceremony,
                Some(false),
                Some(false),
            ),
            policy: match config.user_verification {
                UserVerification::Required => UserVerificationPolicy::Required,
                UserVerification::Preferred => UserVerificationPolicy::Preferred,
                UserVerification::Discouraged => UserVerificationPolicy::Discouraged_DO_NOT_USE,
            },
        })
    }
}

/// Binary values in the JSON forms: base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The options as browsers' `parse…OptionsFromJSON` take them: absent members left out, not
/// `null`.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The library's stored form of a credential, with its counter as last accepted.
fn credential(
    json: &str,
    sign_count: u32,
) -> Result<webauthn_rs_core::proto::Credential, ApiError> {
    let mut credential: webauthn_rs_core::proto::Credential = serde_json::from_str(json)
        .map_err(|e| ApiError::Internal(format!("stored WebAuthn credential: {e}")))?;
    credential.counter = sign_count;
    Ok(credential)
}

#[cfg(test)]
mod tests;
