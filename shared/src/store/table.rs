//! Creating the table (operator tool and local stack; in AWS the template creates it).

use super::client::{classify, DynamoStore};
use super::StoreError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    TimeToLiveSpecification,
};

impl DynamoStore {
    /// Creates the table with TTL on `expiresAt` unless it exists. Returns whether it was created.
    pub async fn create_table_if_missing(&self) -> Result<bool, StoreError> {
        let exists = self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await;
        match exists {
            Ok(_) => return Ok(false),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) => {}
            Err(e) => return Err(classify(e)),
        }
        let attr = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| StoreError::internal(e.to_string()))
        };
        let key = |name: &str, kind| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(|e| StoreError::internal(e.to_string()))
        };
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr("PK")?)
            .attribute_definitions(attr("SK")?)
            .key_schema(key("PK", KeyType::Hash)?)
            .key_schema(key("SK", KeyType::Range)?)
            .send()
            .await;
        match created {
            Ok(_) => {}
            // Someone else created it between our describe and create: fine.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_in_use_exception()) =>
            {
                return Ok(false)
            }
            Err(e) => return Err(classify(e)),
        }
        let ttl = TimeToLiveSpecification::builder()
            .attribute_name("expiresAt")
            .enabled(true)
            .build()
            .map_err(|e| StoreError::internal(e.to_string()))?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(classify)?;
        Ok(true)
    }
}
