//! Verify an OTP device — `POST …/otp-devices/{deviceId}/verify` (BEHAVIOR.md 2.11): a current
//! TOTP code; the accepted step is remembered against replay. The rules are in `decide.rs`.

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{empty_response, parse_wrapped, path_param, VerificationCode};
use mfa_shared::model::{now_ms, OtpDevice};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: VerificationCode = parse_wrapped(&req, VerificationCode::ROOT)?;
    let (user_id, device_id) = (path_param(&req, "userId")?, path_param(&req, "deviceId")?);
    let target = caller.act_on(services, &user_id).await?;
    let code = body.code()?;
    let device = decide::device(&target, &device_id)?;
    let context = OtpDevice::seal_context(&user_id, &device_id);
    let key = services.sealer().open(&device.secret, &context).await?;
    let window = services.config.otp_window_steps;
    let step = decide::step(device, &key, &code, now_ms() / 1000, window)?;
    let verified = services
        .trail(&req)
        .acting(caller.user_id())
        .event(EventType::DeviceVerify, &target.user)
        .with_device(DeviceKind::Otp, &device_id);
    match services
        .store
        .verify_otp_device(&user_id, &device_id, step, &[verified])
        .await
    {
        Ok(()) => {
            tracing::info!(device_id, "OTP device verified");
            Ok(empty_response(204))
        }
        // Verified or deleted by a concurrent request: this code is no longer usable here.
        Err(StoreError::Conflict) => Err(ApiError::bad_request(msg::BAD_PIN)),
        Err(e) => Err(e.into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("verify-otp-device", handle).await
}
