//! The server-side HMAC key ("pepper") for PINs, passcodes and bypass codes (DECISIONS 9).
//! In AWS it lives in Secrets Manager (`CODE_PEPPER_SECRET_ID`) and is read the first time a
//! request needs it, then kept for the life of the process: once per cold start, and only in the
//! functions that hash codes, so the others pay nothing at init. `CODE_PEPPER` (hex) gives it
//! directly, for unit tests and tools; the local stack uses the Secrets Manager path too.

use crate::dependency_error::{DependencyError, SECRETS_MANAGER};
use aws_sdk_secretsmanager::Client;
use tokio::sync::OnceCell;

/// Where the pepper comes from (read from the environment by `Config`).
#[derive(Clone)]
pub enum PepperSource {
    Value(Vec<u8>),
    /// A secret id or ARN whose `SecretString` is the pepper in hex.
    Secret(String),
}

/// At least 32 bytes, so that the HMACs of short codes cannot be searched offline.
pub const MIN_PEPPER_BYTES: usize = 32;

/// The pepper given as hex; `what` names its origin in the error.
pub fn decode_pepper(value: &str) -> Result<Vec<u8>, String> {
    let bytes = hex::decode(value.trim()).map_err(|_| "expected hex".to_owned())?;
    if bytes.len() < MIN_PEPPER_BYTES {
        return Err(format!(
            "expected at least {MIN_PEPPER_BYTES} bytes ({} hex digits)",
            MIN_PEPPER_BYTES * 2
        ));
    }
    Ok(bytes)
}

pub struct Pepper {
    source: PepperSource,
    secrets: Client,
    loaded: OnceCell<Vec<u8>>,
}

impl Pepper {
    pub fn new(source: PepperSource, secrets: Client) -> Self {
        let loaded = match &source {
            PepperSource::Value(bytes) => OnceCell::new_with(Some(bytes.clone())),
            PepperSource::Secret(_) => OnceCell::new(),
        };
        Self {
            source,
            secrets,
            loaded,
        }
    }

    /// The key; the first call of a process fetches it. A failed fetch is not remembered, so the
    /// next request tries again (503 meanwhile, never a hash under a wrong key).
    pub async fn get(&self) -> Result<&[u8], DependencyError> {
        let bytes = self
            .loaded
            .get_or_try_init(|| async {
                match &self.source {
                    PepperSource::Value(bytes) => Ok(bytes.clone()),
                    PepperSource::Secret(id) => self.fetch(id).await,
                }
            })
            .await?;
        Ok(bytes)
    }

    async fn fetch(&self, secret_id: &str) -> Result<Vec<u8>, DependencyError> {
        let out = self
            .secrets
            .get_secret_value()
            .secret_id(secret_id)
            .send()
            .await
            .map_err(|e| SECRETS_MANAGER.classify(&e))?;
        let text = out
            .secret_string()
            .ok_or_else(|| DependencyError::Failed("pepper secret has no SecretString".into()))?;
        // The message names the rule broken, never the value.
        decode_pepper(text)
            .map_err(|rule| DependencyError::Failed(format!("pepper secret: {rule}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offline_client() -> Client {
        let conf = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(aws_sdk_secretsmanager::config::BehaviorVersion::latest())
            .region(aws_sdk_secretsmanager::config::Region::new("us-east-1"))
            .build();
        Client::from_conf(conf)
    }

    #[test]
    fn short_or_non_hex_peppers_are_refused_without_echoing_them() {
        let short = "ab".repeat(MIN_PEPPER_BYTES - 1);
        let err = decode_pepper(&short).unwrap_err();
        assert!(err.contains("at least 32 bytes") && !err.contains(&short));
        let err = decode_pepper(&"zz".repeat(40)).unwrap_err();
        assert_eq!(err, "expected hex");
        assert_eq!(
            decode_pepper(&"0a".repeat(32)).unwrap(),
            vec![0x0a; MIN_PEPPER_BYTES]
        );
    }

    #[tokio::test]
    async fn a_given_value_is_used_without_asking_secrets_manager() {
        let pepper = Pepper::new(PepperSource::Value(vec![7; 32]), offline_client());
        assert_eq!(pepper.get().await.unwrap(), &[7u8; 32][..]);
    }
}
