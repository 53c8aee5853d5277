//! A domain's security events — `GET /v2.0/RAX-AUTH/domains/{domainId}/multi-factor/events`
//! (README "Security events"): its enforcement changes, newest first, a page at a time, to
//! callers who may set the domain's enforcement (identity admins, and its own user-admins and
//! user-managers).

use mfa_shared::caller::{authenticate, authorize_domain};
use mfa_shared::events::{answer_page, PageRequest, Partition};
use mfa_shared::http::path_param;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let domain_id = path_param(&req, "domainId")?;
    authorize_domain(&caller, &domain_id)?;
    let page = PageRequest::from_request(&req)?;
    if services.store.get_domain(&domain_id).await?.is_none() {
        return Err(ApiError::domain_not_found(&domain_id));
    }
    answer_page(services, &req, Partition::Domain(&domain_id), &page).await
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("list-domain-events", handle).await
}
