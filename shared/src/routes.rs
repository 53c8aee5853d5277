//! The API's routes and the function that serves each. `template.yaml` must say the same
//! (a test compares them); the `not-found` function uses this table to tell 404 from 405.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub function: &'static str,
}

const fn route(method: &'static str, path: &'static str, function: &'static str) -> Route {
    Route {
        method,
        path,
        function,
    }
}

pub const ROUTES: &[Route] = &[
    route("GET", "/console", "console"),
    route("GET", "/console/{asset}", "console"),
    route("POST", "/v2.0/tokens", "authenticate"),
    route("GET", "/v2.0/users/{userId}", "get-user"),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones",
        "add-mobile-phone",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones",
        "list-mobile-phones",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/devices/mobile-phones",
        "list-mobile-phones",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones/{mobilePhoneId}",
        "get-mobile-phone",
    ),
    route(
        "DELETE",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones/{mobilePhoneId}",
        "delete-mobile-phone",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones/{mobilePhoneId}/verificationcode",
        "send-verification-code",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones/{mobilePhoneId}/verify",
        "verify-mobile-phone",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/devices",
        "list-devices",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/otp-devices",
        "add-otp-device",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/otp-devices",
        "list-otp-devices",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/devices/otp-devices",
        "list-otp-devices",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/otp-devices/{deviceId}",
        "get-otp-device",
    ),
    route(
        "DELETE",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/otp-devices/{deviceId}",
        "delete-otp-device",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/otp-devices/{deviceId}/verify",
        "verify-otp-device",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/webauthn-devices",
        "add-webauthn-device",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/webauthn-devices",
        "list-webauthn-devices",
    ),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/webauthn-devices/{deviceId}",
        "get-webauthn-device",
    ),
    route(
        "DELETE",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/webauthn-devices/{deviceId}",
        "delete-webauthn-device",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/webauthn-devices/{deviceId}/verify",
        "verify-webauthn-device",
    ),
    route(
        "PUT",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor",
        "update-multi-factor",
    ),
    route(
        "DELETE",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor",
        "delete-multi-factor",
    ),
    route(
        "POST",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/bypass-codes",
        "generate-bypass-codes",
    ),
    route(
        "PUT",
        "/v2.0/RAX-AUTH/domains/{domainId}/multi-factor",
        "update-domain-enforcement",
    ),
    route("GET", "/v2.0/RAX-AUTH/domains/{domainId}", "get-domain"),
    route(
        "GET",
        "/v2.0/users/{userId}/RAX-AUTH/multi-factor/events",
        "list-user-events",
    ),
    route(
        "GET",
        "/v2.0/RAX-AUTH/domains/{domainId}/multi-factor/events",
        "list-domain-events",
    ),
    route("GET", "/v2.0/tokens/{tokenId}", "validate-token"),
    route("HEAD", "/v2.0/tokens/{tokenId}", "validate-token"),
    route("DELETE", "/v2.0/tokens", "revoke-token"),
    route("DELETE", "/v2.0/tokens/{tokenId}", "revoke-token"),
    route("GET", "/v2.0/tenants", "list-tenants"),
    route("GET", API_KEY_CREDENTIALS, "get-api-key"),
    route("DELETE", API_KEY_CREDENTIALS, "delete-api-key"),
    route(
        "POST",
        "/v2.0/users/{userId}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials/RAX-AUTH/reset",
        "reset-api-key",
    ),
];

/// A user's API key (the original's path, RAX-KSKEY extension).
const API_KEY_CREDENTIALS: &str =
    "/v2.0/users/{userId}/OS-KSADM/credentials/RAX-KSKEY:apiKeyCredentials";

/// Matches a concrete path against a template such as `/v2.0/users/{userId}`; returns the
/// path parameters, or `None`. Literal segments are case-sensitive, as in API Gateway.
pub fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut t = template.trim_matches('/').split('/');
    let mut p = path
        .trim_end_matches('/')
        .trim_start_matches('/')
        .split('/');
    let mut params = Vec::new();
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) => {
                if let Some(name) = ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    if ps.is_empty() {
                        return None;
                    }
                    params.push((name.to_owned(), ps.to_owned()));
                } else if ts != ps {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// How specific a template is: more literal segments first, so that
/// `/mobile-phones/{id}` never shadows `/devices/mobile-phones`.
pub fn specificity(template: &str) -> (usize, usize) {
    let segments: Vec<&str> = template.trim_matches('/').split('/').collect();
    let literals = segments.iter().filter(|s| !s.starts_with('{')).count();
    (segments.len(), literals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_extracted_and_literals_must_match_exactly() {
        let t = "/v2.0/users/{userId}/RAX-AUTH/multi-factor/mobile-phones/{mobilePhoneId}";
        assert_eq!(
            match_path(t, "/v2.0/users/u1/RAX-AUTH/multi-factor/mobile-phones/p1"),
            Some(vec![
                ("userId".into(), "u1".into()),
                ("mobilePhoneId".into(), "p1".into())
            ])
        );
        assert_eq!(
            match_path(t, "/v2.0/users/u1/RAX-AUTH/multifactor/mobile-phones/p1"),
            None
        );
        assert_eq!(
            match_path(t, "/v2.0/users/u1/RAX-AUTH/multi-factor/mobile-phones"),
            None
        );
        assert_eq!(
            match_path(t, "/v2.0/users//RAX-AUTH/multi-factor/mobile-phones/p1"),
            None
        );
    }

    #[test]
    fn every_route_is_unique_and_well_formed() {
        for (i, a) in ROUTES.iter().enumerate() {
            // The API, and the security page beside it on the same origin.
            assert!(
                a.path.starts_with("/v2.0/") || a.path.starts_with("/console"),
                "{}",
                a.path
            );
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "duplicate {} {}",
                    a.method,
                    a.path
                );
            }
        }
    }

    #[test]
    fn literal_routes_are_more_specific_than_parameters() {
        assert!(
            specificity("/v2.0/users/{u}/RAX-AUTH/multi-factor/devices/mobile-phones")
                > specificity("/v2.0/users/{u}/RAX-AUTH/multi-factor/mobile-phones/{p}")
        );
    }
}
