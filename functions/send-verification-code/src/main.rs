//! Send a verification code — `POST …/mobile-phones/{mobilePhoneId}/verificationcode`
//! (BEHAVIOR.md 2.6, DECISIONS.md "Verification PIN" and 7).
//!
//! The PIN is stored (hashed) and the SMS spent against every budget (the number's interval,
//! the user's hour, the domain's hour: `model::SmsSpend`) in one transaction before SNS is
//! asked to deliver it; if SNS fails, the previous PIN is put back so nothing half-done remains.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::model::{now_ms, MobilePhone, PendingPin, SmsPurpose};
use mfa_shared::phone::region_refused;
use mfa_shared::secrets::{keyed_hash, random_digits, CodePurpose};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

const PIN_DIGITS: usize = 6;

/// A concurrent send or budget change makes the write fail: read again and decide again.
const ATTEMPTS: usize = 3;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let user_id = path_param(&req, "userId")?;
    let phone_id = path_param(&req, "mobilePhoneId")?;
    let mut target = caller.act_on(services, &user_id).await?;
    let config = &services.config;
    let pin = random_digits(PIN_DIGITS);
    for _ in 0..ATTEMPTS {
        let phone = target
            .phone_with_id(&phone_id)
            .ok_or_else(|| ApiError::not_found(msg::DEVICE_INVALID))?;
        if phone.verified {
            return Err(ApiError::bad_request(msg::ALREADY_VERIFIED));
        }
        // Phones added before the region allow-list have no region stored: they keep working.
        if phone.region.is_some() && !config.sms_region_allowed(phone.region.as_deref()) {
            return Err(region_refused(config, phone.region.as_deref()));
        }
        let now = now_ms();
        let spend = services
            .plan_sms(&target, SmsPurpose::Verification(&phone.number), now)
            .await?;
        let pepper = services.pepper().get().await?;
        let pending = PendingPin {
            hash: keyed_hash(pepper, CodePurpose::PhoneVerification, &phone.id, &pin),
            expires_at: now + config.pin_ttl.as_millis() as i64,
            failed_attempts: 0,
        };
        match services
            .store
            .store_pin(&user_id, &phone.id, &pending, &spend)
            .await
        {
            Ok(()) => return send(services, &user_id, phone, &pending, &pin).await,
            // Another send, or a budget, moved first; or the phone changed.
            Err(StoreError::Conflict) => target = services.reload_account(&user_id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "verification sends kept changing under concurrent requests".into(),
    ))
}

/// Texts the PIN; if SNS fails, the previous PIN is put back (the send stays counted).
async fn send(
    services: &Services,
    user_id: &str,
    phone: &MobilePhone,
    pending: &PendingPin,
    pin: &str,
) -> Result<Response<Body>, ApiError> {
    let phone_id = &phone.id;
    if let Err(e) = services
        .sms()
        .send(&phone.number, &services.config.verify_sms_text(pin))
        .await
    {
        tracing::error!(user_id, phone_id, error = %e, "verification SMS not sent; restoring previous PIN");
        if let Err(undo) = services
            .store
            .restore_pin(user_id, phone_id, pending, phone.pin.as_ref())
            .await
        {
            tracing::error!(user_id, phone_id, error = %undo, "could not restore previous PIN");
        }
        return Err(e.into());
    }
    tracing::info!(user_id, phone_id, "verification code sent");
    Ok(empty_response(202))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("send-verification-code", handle).await
}
