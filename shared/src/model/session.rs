use super::FactorType;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Session ids are 32 CSPRNG bytes, base64url without padding: 43 characters.
const SESSION_ID_LEN: usize = 43;

pub fn new_session_id() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::secrets::random_bytes(32))
}

/// Whether a value has the shape of a session id. Tokens (32 hex digits) never do, so a
/// presented token that is unknown needs no second read to tell whether it was a session id.
pub fn could_be_session_id(value: &str) -> bool {
    value.len() == SESSION_ID_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The state between the two login steps (`SESSION#<sha256(id)>` item). The id itself is
/// never stored; an SMS passcode only as its keyed hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaSession {
    pub user_id: String,
    pub factor: FactorType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passcode_hash: Option<String>,
    /// WebAuthn users: the assertion ceremony's state (JSON, holding this session's challenge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion: Option<String>,
    pub created_at: i64,
    /// Milliseconds: checked in code.
    pub expires_at_ms: i64,
    /// Unix seconds: the DynamoDB TTL attribute (deletes late; never relied on).
    pub expires_at: i64,
    /// Single use: set by the step that yields a token (DECISIONS.md "Login").
    #[serde(default)]
    pub used: bool,
    /// The user's token epoch when the session began: disabling the user revokes it.
    #[serde(default)]
    pub epoch: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_and_tokens_have_different_shapes() {
        let id = new_session_id();
        assert!(could_be_session_id(&id), "{id}");
        assert_ne!(new_session_id(), id);
        assert!(!could_be_session_id(&crate::secrets::random_hex(16)));
        assert!(!could_be_session_id(&format!("{}=", &id[..42])));
    }
}
