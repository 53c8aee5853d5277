use crate::secrets::sealing::SealedSecret;
use serde::{Deserialize, Serialize};

/// A user's API key (`USER#<id>` / `APIKEY` item). Never stored in plaintext: a keyed hash
/// (HMAC with the pepper) that logins compare, without a KMS call, and a sealed copy (KMS
/// envelope encryption, bound to the user) that only showing the key to its owner opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub hash: String,
    pub sealed: SealedSecret,
    pub created_at: i64,
}

impl ApiKey {
    /// Whose key this is: the encryption context of its sealing.
    pub fn seal_context(user_id: &str) -> String {
        format!("{user_id}/api-key")
    }
}
