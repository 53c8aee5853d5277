//! List mobile phones — `GET …/multi-factor/mobile-phones` (and `…/devices/mobile-phones`): 0 or 1.

use mfa_shared::caller::authorized_target;
use mfa_shared::http::json_response;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let phones: Vec<_> = target
        .phone
        .iter()
        .map(|p| views::mobile_phone(p, true))
        .collect();
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:mobilePhones": phones }),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("list-mobile-phones", handle).await
}
