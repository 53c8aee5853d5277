//! Delete a WebAuthn device — `DELETE …/multi-factor/webauthn-devices/{deviceId}`
//! (WEBAUTHN.md), with its credential id's reservation. The rules are in `decide.rs`.

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, target) = authorized_target(services, &req).await?;
    let device_id = path_param(&req, "deviceId")?;
    let device_id = device_id.as_str();
    let trail = &services.trail(&req).acting(caller.user_id());
    commit::on_account(services, Budget::Contended, target, |target| async move {
        let device = decide::decide(&target, device_id)?;
        let event = trail
            .event(EventType::DeviceDelete, &target.user)
            .with_device(DeviceKind::WebAuthn, device_id);
        let deleted = services
            .store
            .delete_webauthn_device(&target.user.id, device, &[event])
            .await;
        attempt(deleted)
    })
    .await?;
    tracing::info!(device_id, by = caller.user_id(), "WebAuthn device deleted");
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-webauthn-device", handle).await
}
