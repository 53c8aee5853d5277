//! Delete a mobile phone — `DELETE …/multi-factor/mobile-phones/{mobilePhoneId}`
//! (BEHAVIOR.md 2.5). The rules are in `decide.rs`.

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, target) = authorized_target(services, &req).await?;
    let phone_id = path_param(&req, "mobilePhoneId")?;
    let phone_id = phone_id.as_str();
    let trail = &services.trail(&req).acting(caller.user_id());
    commit::on_account(services, Budget::Contended, target, |target| async move {
        decide::decide(&target, phone_id)?;
        let deleted = trail
            .event(EventType::DeviceDelete, &target.user)
            .with_device(DeviceKind::Phone, phone_id);
        let write = services
            .store
            .delete_phone(&target.user.id, phone_id, &[deleted])
            .await;
        attempt(write)
    })
    .await?;
    tracing::info!(phone_id, by = caller.user_id(), "mobile phone deleted");
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-mobile-phone", handle).await
}
