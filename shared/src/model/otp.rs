use crate::secrets::sealing::SealedSecret;
use serde::{Deserialize, Serialize};

/// An authenticator-app device (`OTP#<id>` item).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OtpDevice {
    pub id: String,
    pub name: String,
    /// The TOTP key, sealed (envelope encryption). Shown to the user only in the create
    /// response, as the keyUri.
    pub secret: SealedSecret,
    pub verified: bool,
    /// The last time step whose code was accepted: older and equal codes are replays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_step: Option<i64>,
    pub created_at: i64,
}

impl OtpDevice {
    /// Whose secret this is: the encryption context of its sealing.
    pub fn seal_context(user_id: &str, device_id: &str) -> String {
        format!("{user_id}/{device_id}")
    }
}

/// The longest device name, in Unicode scalar values (DECISIONS.md 22).
pub const MAX_NAME_CHARS: usize = 64;

#[derive(Debug, PartialEq, Eq)]
pub enum NameProblem {
    Blank,
    TooLong,
    /// A control or other invisible character (`model::is_invisible`).
    Invisible,
}

/// The trimmed name, or why it is refused.
pub fn validate_device_name(name: Option<&str>) -> Result<String, NameProblem> {
    let name = name.map(str::trim).unwrap_or_default();
    if name.is_empty() {
        Err(NameProblem::Blank)
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(NameProblem::TooLong)
    } else if !super::is_visible_text(name) {
        Err(NameProblem::Invisible)
    } else {
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_must_be_1_to_64_characters() {
        assert_eq!(
            validate_device_name(Some("  My phone ")),
            Ok("My phone".into())
        );
        assert_eq!(validate_device_name(None), Err(NameProblem::Blank));
        assert_eq!(validate_device_name(Some(" \t ")), Err(NameProblem::Blank));
        assert_eq!(
            validate_device_name(Some(&"é".repeat(64))),
            Ok("é".repeat(64))
        );
        assert_eq!(
            validate_device_name(Some(&"x".repeat(65))),
            Err(NameProblem::TooLong)
        );
        assert_eq!(
            validate_device_name(Some("my\u{1}phone")),
            Err(NameProblem::Invisible)
        );
    }
}
