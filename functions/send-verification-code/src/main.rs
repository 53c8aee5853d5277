//! Send a verification code — `POST …/mobile-phones/{mobilePhoneId}/verificationcode`
//! (BEHAVIOR.md 2.6, DECISIONS.md "Verification PIN" and 7).
//!
//! The PIN is stored (hashed) and the SMS spent against every budget (the number's interval,
//! the user's hour, the domain's hour: `model::SmsSpend`) in one transaction before SNS is
//! asked to deliver it; if SNS fails, the previous PIN is put back so nothing half-done remains.
//! The rules are in `decide.rs`.

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::model::{now_ms, Expiry, MobilePhone, PendingPin};
use mfa_shared::secrets::{keyed_hash, random_digits, CodePurpose};
use mfa_shared::{ApiError, Body, Request, Response, Services};

const PIN_DIGITS: usize = 6;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, target) = authorized_target(services, &req).await?;
    let trail = &services.trail(&req).acting(caller.user_id());
    let phone_id = path_param(&req, "mobilePhoneId")?;
    let (phone_id, pin) = (phone_id.as_str(), random_digits(PIN_DIGITS));
    let user_id = target.user.id.clone();
    let (phone, pending) = commit::on_account(services, Budget::Contended, target, |target| {
        let pin = pin.as_str();
        async move {
            let now = now_ms();
            let hour = services.domain_sms_hour(&target, now).await?;
            let plan = decide::decide(&target, phone_id, hour, &services.config, now)?;
            let spend = match plan.spend {
                Ok(spend) => spend,
                Err(refused) => {
                    let event = trail
                        .event(EventType::SmsRefused, &target.user)
                        .with_device(DeviceKind::Phone, phone_id)
                        .failed(refused.budget());
                    services.store.record_events(&[event]).await?;
                    return Err(refused.into());
                }
            };
            let pepper = services.pepper().get().await?;
            let pending = PendingPin {
                hash: keyed_hash(pepper, CodePurpose::PhoneVerification, &plan.phone.id, pin),
                expires_at: Expiry::after(now, services.config.pin_ttl).ms(),
                failed_attempts: 0,
            };
            let write = services
                .store
                .store_pin(&target.user.id, phone_id, &pending, &spend);
            Ok(attempt(write.await)?.map(|()| (plan.phone.clone(), pending)))
        }
    })
    .await?;
    send(services, &user_id, &phone, &pending, &pin).await
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
        tracing::error!(phone_id, error = %e, "verification SMS not sent; restoring previous PIN");
        if let Err(undo) = services
            .store
            .restore_pin(user_id, phone_id, pending, phone.pin.as_ref())
            .await
        {
            tracing::error!(phone_id, error = %undo, "could not restore previous PIN");
        }
        return Err(e.into());
    }
    tracing::info!(phone_id, "verification code sent");
    Ok(empty_response(202))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("send-verification-code", handle).await
}
