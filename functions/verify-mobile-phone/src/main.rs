//! Verify a mobile phone — `POST …/mobile-phones/{mobilePhoneId}/verify` (BEHAVIOR.md 2.7,
//! DECISIONS.md "Verification PIN"). The rules are in `decide.rs`; both writes are conditional
//! on the PIN still being the one checked, so parallel guesses all count and one PIN verifies
//! once.

mod decide;

use decide::Plan;
use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{empty_response, parse_wrapped, path_param, VerificationCode};
use mfa_shared::model::now_ms;
use mfa_shared::secrets::{keyed_hash, CodePurpose};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: VerificationCode = parse_wrapped(&req, VerificationCode::ROOT)?;
    let (user_id, phone_id) = (
        path_param(&req, "userId")?,
        path_param(&req, "mobilePhoneId")?,
    );
    let target = caller.act_on(services, &user_id).await?;
    let code = body.code()?;
    let pepper = match target.phone_with_id(&phone_id) {
        Some(_) => services.pepper().get().await?,
        None => return Err(ApiError::not_found(msg::DEVICE_INVALID)),
    };
    let submitted = keyed_hash(pepper, CodePurpose::PhoneVerification, &phone_id, &code);
    let config = &services.config;
    let bad_pin = || ApiError::bad_request(msg::BAD_PIN);
    match decide::decide(&target, &phone_id, &submitted, config, now_ms())? {
        Plan::CountFailure(pin) => {
            let counted = services
                .store
                .record_pin_failure(&user_id, &phone_id, pin)
                .await;
            // The PIN was replaced or used meanwhile: nothing left to count against.
            if !matches!(counted, Ok(()) | Err(StoreError::Conflict)) {
                counted?;
            }
            tracing::info!(
                phone_id,
                attempt = pin.failed_attempts + 1,
                "wrong verification PIN"
            );
            Err(bad_pin())
        }
        Plan::Verify(pin) => {
            let event = services
                .trail(&req)
                .acting(caller.user_id())
                .event(EventType::DeviceVerify, &target.user)
                .with_device(DeviceKind::Phone, &phone_id);
            let verified = services
                .store
                .mark_phone_verified(&user_id, &phone_id, pin, config.pin_max_attempts, &[event])
                .await;
            match verified {
                Ok(()) => {
                    tracing::info!(phone_id, "mobile phone verified");
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
