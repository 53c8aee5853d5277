//! A user's security events — `GET /v2.0/users/{userId}/RAX-AUTH/multi-factor/events`
//! (README "Security events"): newest first, a page at a time (`limit`, `marker`, `Link`), to
//! callers with precedence over the user, as for reading the user's devices.

use mfa_shared::caller::authorized_target;
use mfa_shared::events::{answer_page, PageRequest, Partition};
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let (_, target) = authorized_target(services, &req).await?;
    let page = PageRequest::from_request(&req)?;
    answer_page(services, &req, Partition::User(&target.user.id), &page).await
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("list-user-events", handle).await
}
