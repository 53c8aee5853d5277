//! Delete an OTP device — `DELETE …/multi-factor/otp-devices/{deviceId}` (BEHAVIOR.md 2.10):
//! not the last verified device of a user whose active factor is OTP.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let user_id = path_param(&req, "userId")?;
    let device_id = path_param(&req, "deviceId")?;
    let mut target = caller.act_on(services, &user_id).await?;
    // Decide on what we read; if it changed before the conditional write, decide again.
    for _ in 0..3 {
        let device = target
            .otp_device(&device_id)
            .ok_or_else(|| ApiError::not_found(msg::DEVICE_NOT_ON_USER))?;
        if device.verified
            && target.user.otp_mfa_active()
            && target.verified_otp_devices().count() <= 1
        {
            return Err(ApiError::bad_request(msg::CANNOT_DELETE_LAST_OTP));
        }
        match services.store.delete_otp_device(&user_id, device).await {
            Ok(()) => {
                tracing::info!(user_id, device_id, "OTP device deleted");
                return Ok(empty_response(204));
            }
            Err(StoreError::Conflict) => target = services.reload_account(&user_id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "OTP devices kept changing under concurrent requests".into(),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-otp-device", handle).await
}
