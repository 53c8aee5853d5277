//! Baseline D: baseline H plus the DynamoDB and SNS clients built in `main` (as every function
//! builds its clients once per cold start) and one `GetItem` per invocation: the floor for any
//! function that reads the table.

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME is required")?;
    let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    // Built once and kept for the process's life, as the functions do.
    let dynamodb: &'static _ = Box::leak(Box::new(aws_sdk_dynamodb::Client::new(&aws)));
    let sns: &'static _ = Box::leak(Box::new(aws_sdk_sns::Client::new(&aws)));
    let table: &'static str = Box::leak(table.into_boxed_str());
    lambda_http::run(service_fn(move |_req: Request| async move {
        let _kept_alive = sns; // built, like the functions' SNS client, but not called
        let item = dynamodb
            .get_item()
            .table_name(table)
            .key("PK", AttributeValue::S("BENCH".into()))
            .key("SK", AttributeValue::S("BASELINE".into()))
            .send()
            .await?;
        let found = item.item().is_some();
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from(format!(r#"{{"found":{found}}}"#)))
            .map_err(Error::from)
    }))
    .await
}
