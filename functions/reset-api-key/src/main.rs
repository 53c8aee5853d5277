//! Reset a user's API key — `POST /v2.0/users/{userId}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials/RAX-AUTH/reset`
//! (self, or a caller with precedence): a new key of 128 random bits replaces any earlier one
//! and is answered once here. Stored only as a keyed hash (for logins) and sealed (for
//! showing it to its owner).

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::events::EventType;
use mfa_shared::http::json_response;
use mfa_shared::model::{now_ms, ApiKey};
use mfa_shared::secrets::random_hex;
use mfa_shared::store::StoreError;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (caller, target) = authorized_target(services, &req).await?;
    let user = &target.user;
    let key = random_hex(16);
    let pepper = services.pepper().get().await?;
    let sealer = services.sealer();
    let sealed = sealer
        .seal(key.as_bytes(), &ApiKey::seal_context(&user.id))
        .await?;
    let stored = decide::stored(&user.id, &key, pepper, sealed, now_ms());
    let reset = services
        .trail(&req)
        .acting(caller.user_id())
        .event(EventType::ApiKeyReset, user);
    match services
        .store
        .put_api_key(&user.id, &stored, &[reset])
        .await
    {
        Ok(()) => {}
        // The user was deleted meanwhile.
        Err(StoreError::Conflict) => return Err(ApiError::user_not_found(&user.id)),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id = user.id, by = caller.user_id(), "API key reset");
    Ok(json_response(200, &views::api_key_credentials(user, &key)))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("reset-api-key", handle).await
}
