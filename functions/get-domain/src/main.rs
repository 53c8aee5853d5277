//! Get domain — `GET /v2.0/RAX-AUTH/domains/{domainId}` (API.md SR-2): admins see any domain,
//! everyone else only their own.

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::http::{json_response, path_param};
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let domain_id = path_param(&req, "domainId")?;
    decide::authorize(&caller, &domain_id)?;
    let domain = services
        .store
        .get_domain(&domain_id)
        .await?
        .ok_or_else(|| ApiError::domain_not_found(&domain_id))?;
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:domain": views::domain(&domain) }),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("get-domain", handle).await
}
