//! List tenants — `GET /v2.0/tenants`: the caller's, i.e. its domain's (the default one first);
//! none for a user without a domain.

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::http::json_response;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let tenants = match &caller.account.user.domain_id {
        Some(domain) => services.store.list_tenants(domain).await?,
        None => Vec::new(),
    };
    Ok(json_response(200, &decide::answer(&tenants)))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("list-tenants", handle).await
}
