//! Get a mobile phone — `GET …/multi-factor/mobile-phones/{mobilePhoneId}` (BEHAVIOR.md 2.2).

use mfa_shared::caller::authorized_target;
use mfa_shared::error::msg;
use mfa_shared::http::{json_response, path_param};
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let phone = target
        .phone_with_id(&path_param(&req, "mobilePhoneId")?)
        .ok_or_else(|| ApiError::not_found(msg::MOBILE_PHONE_NOT_FOUND))?;
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:mobilePhone": views::mobile_phone(phone, true) }),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("get-mobile-phone", handle).await
}
