//! The HTTP API's `$default` route: an unknown path is 404 `itemNotFound`, a known path with
//! another method is 405 `badMethod` (API Gateway HTTP APIs have no custom gateway responses).

use mfa_shared::routes::{match_path, ROUTES};
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(_: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    Err(route_fault(req.uri().path()))
}

fn route_fault(path: &str) -> ApiError {
    if ROUTES.iter().any(|r| match_path(r.path, path).is_some()) {
        ApiError::BadMethod
    } else {
        ApiError::not_found(mfa_shared::error::msg::NOT_FOUND_ROUTE)
    }
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("not-found", handle).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_are_405_and_unknown_paths_404() {
        assert_eq!(
            route_fault("/v2.0/users/u1/RAX-AUTH/multi-factor/mobile-phones").status(),
            405
        );
        assert_eq!(route_fault("/v2.0/users/u1").status(), 405);
        assert_eq!(
            route_fault("/v2.0/users/u1/RAX-AUTH/multifactor").status(),
            404
        );
        assert_eq!(route_fault("/v2.0/nothing").status(), 404);
    }
}
