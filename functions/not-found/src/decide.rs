//! What the `$default` route answers: a known path with another method is 405 `badMethod`, any
//! other path 404 `itemNotFound`.

use mfa_shared::error::msg;
use mfa_shared::routes::{match_path, ROUTES};
use mfa_shared::ApiError;

pub fn route_fault(path: &str) -> ApiError {
    if ROUTES.iter().any(|r| match_path(r.path, path).is_some()) {
        ApiError::BadMethod
    } else {
        ApiError::not_found(msg::NOT_FOUND_ROUTE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_are_405_and_unknown_paths_404() {
        for (path, status) in [
            ("/v2.0/users/u1/RAX-AUTH/multi-factor/mobile-phones", 405),
            ("/v2.0/users/u1", 405),
            ("/v2.0/tokens", 405),
            ("/v2.0/tokens/t1", 405),
            ("/v2.0/users/u1/RAX-AUTH/multifactor", 404),
            ("/v2.0/nothing", 404),
        ] {
            assert_eq!(route_fault(path).status(), status, "{path}");
        }
    }
}
