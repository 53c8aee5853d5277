//! Send a verification code — `POST …/mobile-phones/{mobilePhoneId}/verificationcode`
//! (BEHAVIOR.md 2.6, DECISIONS.md "Verification PIN" and 7).
//!
//! The PIN is stored (hashed) and the send counted in one transaction before SNS is asked to
//! deliver it; if SNS fails, the previous PIN is put back so nothing half-done remains.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::model::{now_ms, PendingPin};
use mfa_shared::secrets::{keyed_hash, random_digits, CodePurpose};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

const PIN_DIGITS: usize = 6;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let user_id = path_param(&req, "userId")?;
    let phone_id = path_param(&req, "mobilePhoneId")?;
    let target = caller.act_on(services, &user_id).await?;
    let config = &services.config;

    let phone = target
        .phone_with_id(&phone_id)
        .ok_or_else(|| ApiError::not_found(msg::DEVICE_INVALID))?;
    if phone.verified {
        return Err(ApiError::bad_request(msg::ALREADY_VERIFIED));
    }
    let now = now_ms();
    let log = target.send_log(&phone.number);
    log.check(
        now,
        config.send_min_interval.as_millis() as i64,
        config.send_max_per_hour,
    )
    .map_err(|refused| over_limit(refused.retry_after_secs))?;

    let pepper = services.pepper().get().await?;
    let pin = random_digits(PIN_DIGITS);
    let pending = PendingPin {
        hash: keyed_hash(pepper, CodePurpose::PhoneVerification, &phone.id, &pin),
        expires_at: now + config.pin_ttl.as_millis() as i64,
        failed_attempts: 0,
    };
    match services
        .store
        .store_pin(&user_id, &phone.id, &pending, &log, &log.with_send(now))
        .await
    {
        Ok(()) => {}
        // Another send won the race (and used the slot), or the phone changed meanwhile.
        Err(StoreError::Conflict) => {
            return Err(over_limit(config.send_min_interval.as_secs().max(1)))
        }
        Err(e) => return Err(e.into()),
    }
    if let Err(e) = services
        .sms()
        .send(&phone.number, &config.verify_sms_text(&pin))
        .await
    {
        tracing::error!(user_id, phone_id, error = %e, "verification SMS not sent; restoring previous PIN");
        if let Err(undo) = services
            .store
            .restore_pin(&user_id, &phone.id, &pending, phone.pin.as_ref())
            .await
        {
            tracing::error!(user_id, phone_id, error = %undo, "could not restore previous PIN");
        }
        return Err(e.into());
    }
    tracing::info!(user_id, phone_id, "verification code sent");
    Ok(empty_response(202))
}

fn over_limit(retry_after_secs: u64) -> ApiError {
    ApiError::OverLimit {
        message: msg::TOO_MANY_SENDS.to_owned(),
        retry_after_secs,
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("send-verification-code", handle).await
}
