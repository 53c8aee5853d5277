//! Argon2id password hashes (PHC strings).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("operating system random number generator failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("default Argon2 parameters are valid")
        .to_string()
}

/// False for a wrong password or an unreadable stored hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifies against the stored hash, or against a dummy hash when the user does not exist, so
/// that response time does not reveal whether a username exists (DECISIONS.md 14).
pub fn verify_password_or_dummy(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    match stored {
        Some(hash) => verify_password(password, hash),
        None => {
            let dummy = DUMMY.get_or_init(|| hash_password("dummy password for timing"));
            let _ = verify_password(password, dummy);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let h = hash_password("Password1");
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("Password1"));
        assert!(verify_password("Password1", &h));
        assert!(!verify_password("Password2", &h));
        assert!(!verify_password("Password1", "not a phc string"));
    }

    #[test]
    fn unknown_users_never_verify() {
        assert!(!verify_password_or_dummy("anything", None));
    }
}
