//! List WebAuthn devices — `GET …/multi-factor/webauthn-devices` (WEBAUTHN.md).

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::http::json_response;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    Ok(json_response(200, &decide::answer(&target)))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("list-webauthn-devices", handle).await
}
