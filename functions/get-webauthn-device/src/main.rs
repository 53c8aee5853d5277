//! Get a WebAuthn device — `GET …/multi-factor/webauthn-devices/{deviceId}` (WEBAUTHN.md).

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::http::{json_response, path_param};
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let answer = decide::answer(&target, &path_param(&req, "deviceId")?)?;
    Ok(json_response(200, &answer))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("get-webauthn-device", handle).await
}
