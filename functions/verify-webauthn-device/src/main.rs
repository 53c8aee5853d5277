//! Finish a WebAuthn registration — `POST …/webauthn-devices/{deviceId}/verify` (WEBAUTHN.md
//! "Operations" 2): the browser's answer to the device's challenge; accepted, the device is
//! verified with its credential. The rules are in `decide.rs`; the store's write takes the
//! challenge once and the credential id for this user only.

mod decide;

use decide::Refused;
use mfa_shared::caller::authenticate;
use mfa_shared::commit::{self, attempt, Attempt, Budget};
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{empty_response, parse_wrapped, path_param};
use mfa_shared::model::now_ms;
use mfa_shared::webauthn::{Refusal, RelyingParty};
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde_json::Value;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let answer: Value = parse_wrapped(&req, "RAX-AUTH:webAuthnCredential")?;
    let (user_id, device_id) = (path_param(&req, "userId")?, path_param(&req, "deviceId")?);
    let target = caller.act_on(services, &user_id).await?;
    let rp = &RelyingParty::new(&services.config.webauthn)?;
    let (answer, device_id) = (&answer, device_id.as_str());
    let trail = &services.trail(&req).acting(caller.user_id());
    commit::on_account(services, Budget::Contended, target, |target| async move {
        let (device, new) = decide::decide(&target, device_id, rp, answer, now_ms())?;
        if services
            .store
            .credential_id_taken(&new.credential_id)
            .await?
        {
            return Err(Refused::Answer(Refusal::AlreadyRegistered).into());
        }
        let event = trail
            .event(EventType::DeviceVerify, &target.user)
            .with_device(DeviceKind::WebAuthn, device_id);
        let verified = services
            .store
            .verify_webauthn_device(&target.user.id, device, &new, &[event])
            .await;
        // A conflict: verified, deleted or the id taken meanwhile; deciding again says which.
        let verified: Attempt<()> = attempt(verified)?;
        Ok(verified)
    })
    .await?;
    tracing::info!(device_id, "WebAuthn device verified");
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("verify-webauthn-device", handle).await
}
