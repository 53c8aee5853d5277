//! Argon2id password hashes (PHC strings).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// An Argon2id hash, with `Argon2::default()`'s parameters, of a password nobody has: what an
/// unknown username is verified against. A constant, not computed at first use: hashing it there
/// made the first unknown-user login of each process take a hash and a verification (measured
/// 123 ms against about 40 ms), a timing difference of exactly the kind it exists to hide.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$pftfyMh+zjvbGeae1F109w$CFWbcEn1gjcN0/iiiPv19TfNTjNeJUb42KbixsNMbco";

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
    match stored {
        Some(hash) => verify_password(password, hash),
        None => {
            let _ = verify_password(password, DUMMY_HASH);
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
        assert!(!verify_password_or_dummy("dummy password for timing", None));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_hash_costs() {
        // Same algorithm, version and parameters as hash_password, so that verifying against it
        // takes as long as verifying a real user's password.
        let dummy = PasswordHash::new(DUMMY_HASH).expect("a PHC string");
        let real = hash_password("Password1");
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
        assert!(verify_password("dummy password for timing", DUMMY_HASH));
    }
}
