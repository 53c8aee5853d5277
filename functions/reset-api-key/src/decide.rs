//! What `POST …/RAX-AUTH/reset` stores and shows (precedence is `authorized_target`'s).

use mfa_shared::model::ApiKey;
use mfa_shared::secrets::sealing::SealedSecret;
use mfa_shared::secrets::{keyed_hash, CodePurpose};

/// The stored form of a new key: its keyed hash (what logins compare) and its sealed copy
/// (what showing it opens); never the key.
pub fn stored(user_id: &str, key: &str, pepper: &[u8], sealed: SealedSecret, now: i64) -> ApiKey {
    ApiKey {
        hash: keyed_hash(pepper, CodePurpose::ApiKey, user_id, key),
        sealed,
        created_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_keyed_by_the_pepper_and_bound_to_the_user() {
        let sealed = || SealedSecret {
            wrapped_key: "w".into(),
            nonce: "n".into(),
            ciphertext: "c".into(),
        };
        let a = stored("u1", "k", b"pepper-one", sealed(), 7);
        assert_eq!(a.created_at, 7);
        assert_ne!(a.hash, "k");
        assert_ne!(
            a.hash,
            stored("u2", "k", b"pepper-one", sealed(), 7).hash,
            "another user"
        );
        assert_ne!(
            a.hash,
            stored("u1", "k", b"pepper-two", sealed(), 7).hash,
            "another pepper"
        );
        assert_eq!(a.hash, stored("u1", "k", b"pepper-one", sealed(), 8).hash);
    }
}
