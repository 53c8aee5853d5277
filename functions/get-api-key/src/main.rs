//! Get a user's API key — `GET /v2.0/users/{userId}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials`
//! (self, or a caller with precedence, BEHAVIOR.md 1.3): the key itself, as the original
//! shows it, opened from its sealed copy (KMS).

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::http::json_response;
use mfa_shared::model::ApiKey;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let key = decide::key(&target)?;
    let opened = services
        .sealer()
        .open(&key.sealed, &ApiKey::seal_context(&target.user.id))
        .await?;
    let key =
        String::from_utf8(opened).map_err(|_| ApiError::Internal("API key not UTF-8".into()))?;
    Ok(json_response(
        200,
        &views::api_key_credentials(&target.user, &key),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("get-api-key", handle).await
}
