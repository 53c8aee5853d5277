//! SMS delivery through SNS `Publish` to a phone number.

use crate::dependency_error::DependencyError;
use aws_sdk_sns::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::Client;

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// SNS unreachable or throttling: 503.
    #[error("SMS delivery unavailable: {0}")]
    Unavailable(String),
    /// SNS refused the message: 500.
    #[error("SMS delivery refused: {0}")]
    Rejected(String),
}

#[derive(Clone, Debug)]
pub struct SnsSender {
    client: Client,
    sender_id: Option<String>,
}

impl SnsSender {
    pub fn new(client: Client, sender_id: Option<String>) -> Self {
        Self { client, sender_id }
    }

    /// Sends `message` to an E.164 number as a transactional SMS. The message carries a code:
    /// neither it nor the SNS request is ever logged.
    pub async fn send(&self, e164: &str, message: &str) -> Result<(), SmsError> {
        let attr = |v: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(v)
                .build()
                .map_err(|e| SmsError::Rejected(e.to_string()))
        };
        let mut publish = self
            .client
            .publish()
            .phone_number(e164)
            .message(message)
            .message_attributes("AWS.SNS.SMS.SMSType", attr("Transactional")?);
        if let Some(id) = &self.sender_id {
            publish = publish.message_attributes("AWS.SNS.SMS.SenderID", attr(id)?);
        }
        publish.send().await.map_err(classify)?;
        Ok(())
    }
}

fn classify<E, R>(err: SdkError<E, R>) -> SmsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    const RETRYABLE: &[&str] = &[
        "Throttled",
        "ThrottlingException",
        "InternalError",
        "InternalFailure",
        "ServiceUnavailable",
        "KMSThrottling",
    ];
    match crate::dependency_error::classify(&err, "SNS", RETRYABLE) {
        DependencyError::Unavailable(why) => SmsError::Unavailable(why),
        DependencyError::Refused(code) => SmsError::Rejected(code),
    }
}
