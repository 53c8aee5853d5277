//! Keyed hashes for short codes, plain hashes for high-entropy ids, constant-time comparison.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Domain separation: a PIN hash can never be replayed as a bypass-code hash.
#[derive(Clone, Copy, Debug)]
pub enum CodePurpose {
    PhoneVerification,
    LoginPasscode,
    BypassCode,
    ApiKey,
}

impl CodePurpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::PhoneVerification => b"phone-verification\0",
            Self::LoginPasscode => b"login-passcode\0",
            Self::BypassCode => b"bypass-code\0",
            Self::ApiKey => b"api-key\0",
        }
    }
}

/// HMAC-SHA256 with the server-side pepper. Short codes (10^6..10^8 values) are only safe
/// at rest because the pepper never leaves the function's memory.
pub fn keyed_hash(pepper: &[u8], purpose: CodePurpose, scope: &str, code: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(pepper).expect("HMAC accepts any key length");
    mac.update(purpose.label());
    mac.update(scope.as_bytes());
    mac.update(b"\0");
    mac.update(code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// SHA-256 of a high-entropy identifier (token ids, session ids): the table never holds them.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEPPER: &[u8] = &[7u8; 32];

    #[test]
    fn keyed_hash_depends_on_pepper_purpose_scope_and_code() {
        let base = keyed_hash(PEPPER, CodePurpose::PhoneVerification, "p1", "123456");
        assert_eq!(base.len(), 64);
        assert_ne!(base, "123456");
        assert_eq!(
            base,
            keyed_hash(PEPPER, CodePurpose::PhoneVerification, "p1", "123456")
        );
        assert_ne!(
            base,
            keyed_hash(&[8u8; 32], CodePurpose::PhoneVerification, "p1", "123456")
        );
        assert_ne!(
            base,
            keyed_hash(PEPPER, CodePurpose::BypassCode, "p1", "123456")
        );
        assert_ne!(
            base,
            keyed_hash(PEPPER, CodePurpose::PhoneVerification, "p2", "123456")
        );
        assert_ne!(
            base,
            keyed_hash(PEPPER, CodePurpose::PhoneVerification, "p1", "123457")
        );
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
