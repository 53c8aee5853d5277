//! Get an OTP device — `GET …/multi-factor/otp-devices/{deviceId}` (BEHAVIOR.md 2.9).

use mfa_shared::caller::authorized_target;
use mfa_shared::error::msg;
use mfa_shared::http::{json_response, path_param};
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let device = target
        .otp_device(&path_param(&req, "deviceId")?)
        .ok_or_else(|| ApiError::not_found(msg::OTP_DEVICE_NOT_FOUND))?;
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:otpDevice": views::otp_device(device) }),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("get-otp-device", handle).await
}
