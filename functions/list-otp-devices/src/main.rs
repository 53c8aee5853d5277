//! List OTP devices — `GET …/multi-factor/otp-devices` (and `…/devices/otp-devices`).

use mfa_shared::caller::authorized_target;
use mfa_shared::http::json_response;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let devices: Vec<_> = target.otp_devices.iter().map(views::otp_device).collect();
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:otpDevices": devices }),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("list-otp-devices", handle).await
}
