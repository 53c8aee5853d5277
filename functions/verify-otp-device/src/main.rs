//! Verify an OTP device — `POST …/otp-devices/{deviceId}/verify` (BEHAVIOR.md 2.11): a current
//! TOTP code (steps T-1..T+1 by default); the accepted step is remembered against replay.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, parse_wrapped, path_param, VerificationCode};
use mfa_shared::model::{now_ms, OtpDevice};
use mfa_shared::secrets::totp::match_totp;
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: VerificationCode = parse_wrapped(&req, VerificationCode::ROOT)?;
    let user_id = path_param(&req, "userId")?;
    let device_id = path_param(&req, "deviceId")?;
    let target = caller.act_on(services, &user_id).await?;
    let code = body.code()?;
    let device = target
        .otp_device(&device_id)
        .ok_or_else(|| ApiError::not_found(msg::OTP_DEVICE_NOT_FOUND))?;
    if device.verified {
        return Err(ApiError::bad_request(msg::ALREADY_VERIFIED));
    }
    let key = services
        .sealer()
        .open(
            &device.secret,
            &OtpDevice::seal_context(&user_id, &device_id),
        )
        .await?;
    let bad_code = || ApiError::bad_request(msg::BAD_PIN);
    let step = match_totp(
        &key,
        &code,
        now_ms() / 1000,
        services.config.otp_window_steps,
        device.last_step,
    )
    .ok_or_else(bad_code)?;
    match services
        .store
        .verify_otp_device(&user_id, &device_id, step)
        .await
    {
        Ok(()) => {
            tracing::info!(user_id, device_id, "OTP device verified");
            Ok(empty_response(204))
        }
        // Verified or deleted by a concurrent request: this code is no longer usable here.
        Err(StoreError::Conflict) => Err(bad_code()),
        Err(e) => Err(e.into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("verify-otp-device", handle).await
}
