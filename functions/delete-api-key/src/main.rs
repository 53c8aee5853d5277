//! Delete a user's API key — `DELETE /v2.0/users/{userId}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials`
//! (self, or a caller with precedence): 204, or 404 when the user has none. Tokens already
//! obtained with it stay until they expire or are revoked, as the original's.

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::events::EventType;
use mfa_shared::http::empty_response;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, target) = authorized_target(services, &req).await?;
    decide::decide(&target)?;
    // Gone meanwhile (a concurrent delete): the same 404.
    // The key is gone: recorded as a reset to none (README "Security events").
    let event = services
        .trail(&req)
        .acting(caller.user_id())
        .event(EventType::ApiKeyReset, &target.user)
        .with_reason("deleted");
    if !services
        .store
        .delete_api_key(&target.user.id, &[event])
        .await?
    {
        return Err(views::no_api_key(&target.user.id));
    }
    tracing::info!(
        user_id = target.user.id,
        by = caller.user_id(),
        "API key deleted"
    );
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-api-key", handle).await
}
