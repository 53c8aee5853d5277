use serde::{Deserialize, Serialize};

/// One bypass code (`BYPASS#<keyed hash>` item): the code itself is never stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BypassCode {
    pub hash: String,
    /// Milliseconds: checked in code.
    pub expires_at_ms: i64,
    /// Unix seconds: the DynamoDB TTL attribute.
    pub expires_at: i64,
}
