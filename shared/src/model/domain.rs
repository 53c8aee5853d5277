use super::EnforcementLevel;
use serde::{Deserialize, Serialize};

/// A domain (`DOMAIN#<id>` / `DOMAIN` item). No level stored reads as OPTIONAL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    pub id: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcement_level: Option<EnforcementLevel>,
    /// Bumped, in the same write, whenever the level becomes REQUIRED: password-only tokens
    /// issued under an earlier epoch are revoked for members who are not OPTIONAL.
    #[serde(default)]
    pub password_token_epoch: u64,
    /// May the domain's users log in with an API key? (default yes, as the original;
    /// `mfa-admin set-domain --api-key-logins off`: SECURITY.md says when to.)
    #[serde(default = "enabled_by_default")]
    pub api_key_logins: bool,
}

/// A domain's password-token epoch, 0 for none (no domain, or no item yet).
pub fn domain_epoch(domain: Option<&Domain>) -> u64 {
    domain.map_or(0, |d| d.password_token_epoch)
}

fn enabled_by_default() -> bool {
    true
}
