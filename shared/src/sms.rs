//! SMS delivery through SNS `Publish` to a phone number.

use crate::dependency_error::{DependencyError, SNS};
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::Client;

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
    pub async fn send(&self, e164: &str, message: &str) -> Result<(), DependencyError> {
        let attr = |v: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(v)
                .build()
                .map_err(|e| DependencyError::Failed(e.to_string()))
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
        publish.send().await.map_err(|e| SNS.classify(&e))?;
        Ok(())
    }
}
