//! The HTTP API's `$default` route: an unknown path is 404 `itemNotFound`, a known path with
//! another method is 405 `badMethod` (API Gateway HTTP APIs have no custom gateway responses).

mod decide;

use mfa_shared::{ApiError, Body, Request, Response};

fn handle(req: Request) -> Result<Response<Body>, ApiError> {
    Err(decide::route_fault(req.uri().path()))
}

// No AWS client: every unknown path a scanner probes starts nothing but this.
#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::runtime::run_without_services("not-found", handle).await
}
