//! Verify a mobile phone — `POST …/mobile-phones/{mobilePhoneId}/verify` (BEHAVIOR.md 2.7,
//! DECISIONS.md "Verification PIN"): hashed PIN, expiry in code, at most N wrong attempts.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, parse_wrapped, path_param, VerificationCode};
use mfa_shared::model::{now_ms, PinCheck};
use mfa_shared::secrets::{keyed_hash, CodePurpose};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: VerificationCode = parse_wrapped(&req, VerificationCode::ROOT)?;
    let user_id = path_param(&req, "userId")?;
    let phone_id = path_param(&req, "mobilePhoneId")?;
    let target = caller.act_on(services, &user_id).await?;
    let code = body.code()?;
    let phone = target
        .phone_with_id(&phone_id)
        .ok_or_else(|| ApiError::not_found(msg::DEVICE_INVALID))?;

    let config = &services.config;
    let submitted = keyed_hash(
        services.pepper().get().await?,
        CodePurpose::PhoneVerification,
        &phone.id,
        &code,
    );
    let bad_pin = || ApiError::bad_request(msg::BAD_PIN);
    match phone.check_pin(&submitted, now_ms(), config.pin_max_attempts) {
        PinCheck::Unusable => Err(bad_pin()),
        PinCheck::Wrong => {
            let pin = phone.pin.as_ref().ok_or_else(bad_pin)?;
            match services
                .store
                .record_pin_failure(&user_id, &phone.id, pin)
                .await
            {
                // The PIN was replaced or used meanwhile: nothing left to count against.
                Ok(()) | Err(StoreError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
            tracing::info!(
                user_id,
                phone_id,
                attempt = pin.failed_attempts + 1,
                "wrong verification PIN"
            );
            Err(bad_pin())
        }
        PinCheck::Accepted => {
            let pin = phone.pin.as_ref().ok_or_else(bad_pin)?;
            match services
                .store
                .mark_phone_verified(&user_id, &phone.id, pin, config.pin_max_attempts)
                .await
            {
                Ok(()) => {
                    tracing::info!(user_id, phone_id, "mobile phone verified");
                    Ok(empty_response(204))
                }
                // Used up or replaced by a concurrent request: this PIN is no longer valid.
                Err(StoreError::Conflict) => Err(bad_pin()),
                Err(e) => Err(e.into()),
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("verify-mobile-phone", handle).await
}
