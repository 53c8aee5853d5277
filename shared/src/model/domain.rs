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
}

fn enabled_by_default() -> bool {
    true
}
