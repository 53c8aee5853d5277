use super::FactorType;
use serde::{Deserialize, Serialize};

/// The state between the two login steps (`SESSION#<sha256(id)>` item). The id itself is
/// never stored; an SMS passcode only as its keyed hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaSession {
    pub user_id: String,
    pub factor: FactorType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passcode_hash: Option<String>,
    pub created_at: i64,
    /// Milliseconds: checked in code.
    pub expires_at_ms: i64,
    /// Unix seconds: the DynamoDB TTL attribute (deletes late; never relied on).
    pub expires_at: i64,
    /// Single use: set by the step that yields a token (DECISIONS.md "Login").
    #[serde(default)]
    pub used: bool,
}
