//! Remove multi-factor — `DELETE /v2.0/users/{userId}/RAX-AUTH/multi-factor` (BEHAVIOR.md 2.15):
//! MFA off, the phone, every OTP device and bypass code deleted; always 204. The write is
//! conditioned on the devices read, so a device added meanwhile is removed on the next try.

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::events::EventType;
use mfa_shared::http::empty_response;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, target) = authorized_target(services, &req).await?;
    let trail = &services.trail(&req).acting(caller.user_id());
    let removed = commit::on_account(services, Budget::Removal, target, |target| async move {
        let plan = decide::decide(&target);
        let removed = trail
            .event(EventType::MfaDisable, &target.user)
            .with_reason("removed");
        let write = services.store.remove_mfa(&target, &[removed]).await;
        Ok(attempt(write)?.map(|()| plan))
    })
    .await?;
    tracing::info!(by = caller.user_id(), ?removed, "multi-factor removed");
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-multi-factor", handle).await
}
