//! What `GET …/RAX-KSKEY:apiKeyCredentials` shows: the user's key, if it has one.

use mfa_shared::model::{Account, ApiKey};
use mfa_shared::{views, ApiError};

pub fn key(target: &Account) -> Result<&ApiKey, ApiError> {
    target
        .api_key
        .as_ref()
        .ok_or_else(|| views::no_api_key(&target.user.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_shared::fixtures::member;
    use mfa_shared::secrets::sealing::SealedSecret;

    #[test]
    fn the_key_or_the_originals_404() {
        let mut t = member("t", "identity:default", "acme");
        assert_eq!(
            key(&t).unwrap_err().to_string(),
            "Credential type RAX-KSKEY:apiKeyCredentials was not found for User with Id: t"
        );
        let sealed = SealedSecret {
            wrapped_key: "w".into(),
            nonce: "n".into(),
            ciphertext: "c".into(),
        };
        t.api_key = Some(ApiKey {
            hash: "h".into(),
            sealed,
            created_at: 0,
        });
        assert_eq!(key(&t).unwrap().hash, "h");
    }
}
