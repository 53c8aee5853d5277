//! One debug event per AWS API call (target `aws_call`): the service, the call, and the IAM
//! actions it needs. The request span around it names the operation, so the logs say which
//! function made which calls. Two things read them: the least-privilege check (every action a
//! function uses is granted to it in template.yaml, and nothing more) and the benchmarks
//! (DynamoDB and SNS round trips per operation). Off unless `LOG_LEVEL` enables `aws_call=debug`.

use aws_sdk_dynamodb::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsInput;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;

pub const TARGET: &str = "aws_call";

#[derive(Debug, Default, Clone, Copy)]
pub struct CallLog;

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "CallLog"
    }

    // The operation's metadata is in the config bag from serialization on, not before.
    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
            return Ok(());
        }
        let Some(meta) = cfg.load::<Metadata>() else {
            return Ok(());
        };
        let transaction = context
            .input()
            .downcast_ref::<TransactWriteItemsInput>()
            .map(transaction_parts)
            .unwrap_or_default();
        let iam = iam_actions(meta.service(), meta.name(), &transaction).join(" ");
        tracing::debug!(target: TARGET, service = meta.service(), call = meta.name(), %iam, "aws call");
        Ok(())
    }
}

/// What a transaction writes: its parts' kinds, as the IAM actions they are authorised by.
fn transaction_parts(input: &TransactWriteItemsInput) -> Vec<&'static str> {
    input
        .transact_items()
        .iter()
        .filter_map(|item| {
            if item.put().is_some() {
                Some("PutItem")
            } else if item.update().is_some() {
                Some("UpdateItem")
            } else if item.delete().is_some() {
                Some("DeleteItem")
            } else if item.condition_check().is_some() {
                Some("ConditionCheckItem")
            } else {
                None
            }
        })
        .collect()
}

/// The IAM actions one call needs. DynamoDB transactions are authorised per part (there is no
/// `dynamodb:TransactWriteItems` action); every other call is its own action.
pub fn iam_actions(service: &str, call: &str, transaction_parts: &[&str]) -> Vec<String> {
    let prefix = match service.to_ascii_lowercase().as_str() {
        "dynamodb" => "dynamodb",
        "sns" => "sns",
        "kms" => "kms",
        "secretsmanager" | "secrets manager" => "secretsmanager",
        other => return vec![format!("{other}:{call}")],
    };
    let mut actions: Vec<String> = if call == "TransactWriteItems" {
        transaction_parts
            .iter()
            .map(|part| format!("{prefix}:{part}"))
            .collect()
    } else {
        vec![format!("{prefix}:{call}")]
    };
    actions.sort();
    actions.dedup();
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_need_the_actions_of_their_parts() {
        assert_eq!(
            iam_actions(
                "DynamoDB",
                "TransactWriteItems",
                &["UpdateItem", "PutItem", "UpdateItem", "ConditionCheckItem"]
            ),
            [
                "dynamodb:ConditionCheckItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem"
            ]
        );
        assert_eq!(iam_actions("SNS", "Publish", &[]), ["sns:Publish"]);
        assert_eq!(
            iam_actions("Secrets Manager", "GetSecretValue", &[]),
            ["secretsmanager:GetSecretValue"]
        );
    }

    #[test]
    fn transaction_parts_are_read_from_the_input() {
        use aws_sdk_dynamodb::types::{ConditionCheck, Delete, TransactWriteItem};
        let key = std::collections::HashMap::from([(
            "PK".to_owned(),
            aws_sdk_dynamodb::types::AttributeValue::S("x".into()),
        )]);
        let input = TransactWriteItemsInput::builder()
            .transact_items(
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name("t")
                            .set_key(Some(key.clone()))
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .condition_check(
                        ConditionCheck::builder()
                            .table_name("t")
                            .set_key(Some(key))
                            .condition_expression("attribute_exists(PK)")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
            .unwrap();
        assert_eq!(
            transaction_parts(&input),
            ["DeleteItem", "ConditionCheckItem"]
        );
    }
}

#[cfg(test)]
mod logging_tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn each_call_is_logged_with_its_iam_action_even_when_it_fails() {
        use tracing_subscriber::layer::SubscriberExt;
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .finish()
            .with(
                "off,aws_call=debug"
                    .parse::<tracing_subscriber::filter::Targets>()
                    .unwrap(),
            );
        tracing::subscriber::with_default(subscriber, || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let conf = aws_sdk_dynamodb::Config::builder()
                    .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
                    .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
                    .endpoint_url("http://127.0.0.1:9")
                    .credentials_provider(aws_sdk_dynamodb::config::Credentials::for_tests())
                    .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
                    .interceptor(CallLog)
                    .build();
                let client = aws_sdk_dynamodb::Client::from_conf(conf);
                let _unreachable = client.get_item().table_name("t").send().await;
            });
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("\"iam\":\"dynamodb:GetItem\""), "{text}");
    }
}
