//! OTP secrets at rest: envelope encryption. Each secret gets its own AES-256-GCM data key from
//! KMS (`GenerateDataKey`); only the KMS-wrapped key, the nonce and the ciphertext are stored.
//! The encryption context (and the GCM associated data) names the user and device, so a sealed
//! secret copied onto another device does not open. Locally the emulator plays KMS.

use crate::dependency_error::{DependencyError, KMS};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::DataKeySpec;
use aws_sdk_kms::Client;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// What is stored instead of a secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealedSecret {
    pub wrapped_key: String,
    pub nonce: String,
    pub ciphertext: String,
}

#[derive(Clone, Debug)]
pub struct SecretSealer {
    kms: Client,
    key_id: String,
}

const PURPOSE: &str = "otp-secret";

impl SecretSealer {
    pub fn new(kms: Client, key_id: impl Into<String>) -> Self {
        Self {
            kms,
            key_id: key_id.into(),
        }
    }

    /// Seals `secret` for the owner named by `context` (`<userId>/<deviceId>`).
    pub async fn seal(
        &self,
        secret: &[u8],
        context: &str,
    ) -> Result<SealedSecret, DependencyError> {
        let key = self
            .kms
            .generate_data_key()
            .key_id(&self.key_id)
            .key_spec(DataKeySpec::Aes256)
            .encryption_context("purpose", PURPOSE)
            .encryption_context("owner", context)
            .send()
            .await
            .map_err(|e| KMS.classify(&e))?;
        let (Some(plain), Some(wrapped)) = (key.plaintext, key.ciphertext_blob) else {
            return Err(DependencyError::Failed("KMS returned no data key".into()));
        };
        let nonce = super::random_bytes(12);
        let cipher = Aes256Gcm::new_from_slice(plain.as_ref())
            .map_err(|e| DependencyError::Failed(e.to_string()))?;
        let ciphertext = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| DependencyError::Failed("encryption failed".into()))?;
        Ok(SealedSecret {
            wrapped_key: B64.encode(wrapped.as_ref()),
            nonce: B64.encode(nonce),
            ciphertext: B64.encode(ciphertext),
        })
    }

    /// Opens a sealed secret of the owner named by `context`.
    pub async fn open(
        &self,
        sealed: &SealedSecret,
        context: &str,
    ) -> Result<Vec<u8>, DependencyError> {
        let decode = |s: &str| {
            B64.decode(s)
                .map_err(|_| DependencyError::Failed("sealed secret is not base64".into()))
        };
        let (wrapped, nonce, ciphertext) = (
            decode(&sealed.wrapped_key)?,
            decode(&sealed.nonce)?,
            decode(&sealed.ciphertext)?,
        );
        if nonce.len() != 12 {
            return Err(DependencyError::Failed("bad nonce".into()));
        }
        let key = self
            .kms
            .decrypt()
            .key_id(&self.key_id)
            .ciphertext_blob(Blob::new(wrapped))
            .encryption_context("purpose", PURPOSE)
            .encryption_context("owner", context)
            .send()
            .await
            .map_err(|e| KMS.classify(&e))?;
        let plain = key
            .plaintext
            .ok_or_else(|| DependencyError::Failed("KMS returned no key".into()))?;
        let cipher = Aes256Gcm::new_from_slice(plain.as_ref())
            .map_err(|e| DependencyError::Failed(e.to_string()))?;
        cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| {
                DependencyError::Failed("sealed secret does not open for this owner".into())
            })
    }
}
