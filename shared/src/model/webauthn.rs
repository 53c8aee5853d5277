use serde::{Deserialize, Serialize};

/// A security key or passkey (`WEBAUTHN#<id>` item, WEBAUTHN.md). Unverified it holds its
/// registration ceremony; verified, its credential. Neither leaves the service: the views show
/// id, name and verified only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebAuthnDevice {
    pub id: String,
    pub name: String,
    pub verified: bool,
    /// Until verified: the ceremony that registers it (removed by the verification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<PendingRegistration>,
    /// Once verified: the credential as the relying-party library stores it (public key,
    /// credential id, transports, flags; JSON). Its counter is `sign_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// The credential id (base64url), also reserved across users (`store::webauthn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// The authenticator's signature counter as last accepted: a login must raise it unless
    /// the authenticator never counts (0 and 0).
    #[serde(default)]
    pub sign_count: u32,
    pub created_at: i64,
}

/// A registration challenge: the library's ceremony state (JSON, holding the challenge) and
/// when it stops being usable (checked in code).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingRegistration {
    pub state: String,
    pub expires_at_ms: i64,
}

impl WebAuthnDevice {
    /// A device whose registration has begun.
    pub fn unverified(
        id: String,
        name: String,
        state: String,
        expires_at_ms: i64,
        now: i64,
    ) -> Self {
        Self {
            id,
            name,
            verified: false,
            registration: Some(PendingRegistration {
                state,
                expires_at_ms,
            }),
            credential: None,
            credential_id: None,
            sign_count: 0,
            created_at: now,
        }
    }
}
