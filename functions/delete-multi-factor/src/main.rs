//! Remove multi-factor — `DELETE /v2.0/users/{userId}/RAX-AUTH/multi-factor` (BEHAVIOR.md 2.15):
//! MFA off, the phone, every OTP device and bypass code deleted; always 204.

use mfa_shared::caller::authorized_target;
use mfa_shared::http::empty_response;
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, mut target) = authorized_target(services, &req).await?;
    for _ in 0..mfa_shared::store::REMOVAL_RETRIES {
        match services.store.remove_mfa(&target).await {
            Ok(()) => {
                tracing::info!(
                    user_id = target.user.id,
                    by = caller.user_id(),
                    was_enabled = target.user.mfa.enabled,
                    "multi-factor removed"
                );
                return Ok(empty_response(204));
            }
            // A device was added or removed meanwhile: remove what is there now.
            Err(StoreError::Conflict) => target = services.reload_account(&target.user.id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "devices kept changing under concurrent requests".into(),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-multi-factor", handle).await
}
