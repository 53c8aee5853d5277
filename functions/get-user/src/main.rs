//! Get user — `GET /v2.0/users/{userId}` with the MFA fields of BEHAVIOR.md 8.

mod decide;

use mfa_shared::caller::authorized_target;
use mfa_shared::http::json_response;
use mfa_shared::model::now_ms;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let answer = decide::answer(&target, &services.config.lockout(), now_ms());
    Ok(json_response(200, &answer))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("get-user", handle).await
}
