//! The one place where failures become HTTP responses in the Rackspace fault format.
//!
//! Internal detail (SDK errors, causes) is carried for the log only; the client sees a fixed,
//! generic message for every 5xx.

use crate::response::fault_response;
use lambda_http::{Body, Response};

/// Exact client-facing messages (BEHAVIOR.md 9 and DECISIONS.md).
pub mod msg {
    pub const NO_TOKEN: &str =
        "No valid token provided. Please use the 'X-Auth-Token' header with a valid token.";
    pub const NOT_AUTHORIZED: &str = "Not Authorized";
    pub const INVALID_JSON: &str = "Invalid json request body";
    pub const INVALID_XML: &str = "Invalid XML";
    pub const BAD_MEDIA_TYPE: &str =
        "The request body must be sent with Content-Type: application/json or application/xml.";
    pub const NOT_ACCEPTABLE: &str =
        "The response can only be produced as application/json or application/xml.";
    pub const BAD_METHOD: &str = "The method is not allowed for the requested resource.";
    pub const NOT_FOUND_ROUTE: &str = "The requested resource was not found.";
    pub const MISSING_NUMBER: &str = "Must provide a telephone number";
    pub const INVALID_NUMBER: &str = "The provided phone number is invalid.";
    pub const CANNOT_REPLACE_PHONE: &str = "Cannot replace device with multifactor enabled";
    pub const MOBILE_PHONE_NOT_FOUND: &str = "Mobile phone not found";
    pub const DEVICE_INVALID: &str = "The specified device is invalid";
    pub const ALREADY_VERIFIED: &str = "The specified device has already been verified";
    pub const BAD_PIN: &str = "The provided pin is either invalid or expired.";
    pub const MISSING_CODE: &str = "Must provide a verification code";
    pub const CANNOT_DELETE_SMS_PHONE: &str = "Error code: 'MOBP-000'; You can not delete your mobile phone when your account is configured to use SMS multifactor.";
    pub const MISSING_OTP_NAME: &str = "Must provide a name for an OTP device";
    pub const OTP_NAME_TOO_LONG: &str = "OTP device name must be at most 64 characters";
    pub const TOO_MANY_DEVICES: &str =
        "You have added the maximum number of devices allowed for your profile";
    pub const OTP_DEVICE_NOT_FOUND: &str = "OTP device not found";
    pub const DEVICE_NOT_ON_USER: &str = "The device was not found on the specified user";
    pub const CANNOT_DELETE_LAST_OTP: &str = "Error code: 'OTP-006'; You can not delete the last verified OTP device when your account is configured to use OTP multifactor.";
    pub const MISSING_WEBAUTHN_NAME: &str = "Must provide a name for a WebAuthn device";
    pub const WEBAUTHN_NAME_TOO_LONG: &str = "WebAuthn device name must be at most 64 characters";
    pub const WEBAUTHN_DEVICE_NOT_FOUND: &str = "WebAuthn device not found";
    pub const TOO_MANY_WEBAUTHN: &str =
        "Error code: 'WAN-001'; Maximum number of WebAuthn devices reached.";
    pub const WEBAUTHN_NOT_VERIFIED: &str =
        "Error code: 'WAN-002'; The WebAuthn credential could not be verified.";
    pub const WEBAUTHN_ALREADY_VERIFIED: &str =
        "Error code: 'WAN-003'; The WebAuthn device is already verified.";
    pub const CANNOT_DELETE_LAST_WEBAUTHN: &str = "Error code: 'WAN-004'; You can not delete the last verified WebAuthn device when your account is configured to use WebAuthn multifactor.";
    pub const NO_VERIFIED_WEBAUTHN: &str = "User doesn't have a verified WebAuthn device.";
    pub const SCOPE_NOT_ALLOWED: &str =
        "The scope of this token does not allow access to this resource";
    pub const SETUP_SCOPE_NOT_SUPPORTED: &str = "SETUP-MFA SCOPE not supported";
    pub const MUST_SETUP_MFA: &str = "User must setup multi-factor";
    pub const ADDITIONAL_CREDENTIALS: &str = "Additional authentication credentials required";
    pub const CANNOT_AUTHENTICATE: &str = "Can not authenticate with credentials provided";
    pub const SESSION_EXPIRED: &str =
        "Can not authenticate with credentials provided. Session has expired.";
    pub const LOCKED_OUT: &str = "Can not authenticate with credentials provided. The account has been locked due to excessive invalid attempts. Please contact an administrator";
    pub const INVALID_SESSION_ID: &str = "Invalid X-SessionId";
    pub const UNKNOWN_CREDENTIAL: &str = "Unknown credential type";
    pub const TOO_MANY_FAILED_LOGINS: &str =
        "Too many failed authentication attempts for this username. Try again later.";
    pub const TOO_MANY_LOGIN_SMS: &str =
        "Too many passcodes were sent for this user. Try again later.";
    pub const MISSING_MFA_SETTINGS: &str = "Must provide a multifactor settings";
    pub const SELF_UNLOCK: &str = "Can not make this multifactor change on own account";
    pub const FACTOR_NEEDS_MFA: &str =
        "Can only set factor type when MFA is already enabled or while enabling MFA";
    pub const OTHER_WHILE_SETTING: &str =
        "Cannot change other settings while setting multi factor.";
    pub const OTHER_WHILE_DISABLING: &str =
        "Cannot change other settings while disabling multi factor.";
    pub const OTHER_WHILE_UNLOCKING: &str =
        "Cannot change other settings while unlocking multi factor.";
    pub const OTHER_WHILE_LEVEL: &str =
        "Cannot change other settings while setting user enforcement level.";
    pub const NO_VERIFIED_OTP: &str = "User doesn't have a verified OTP device.";
    pub const NO_VERIFIED_PHONE: &str = "User doesn't have a verified phone.";
    pub const SPECIFY_FACTOR: &str =
        "Must specify multi-factor authentication type to enable multi-factor authentication.";
    pub const NO_DEVICE: &str = "User not associated with a multifactor device";
    pub const DEVICE_NOT_VERIFIED: &str = "Device not verified";
    pub const MFA_NEEDED_FOR_DOMAIN: &str = "You must have Multi-Factor Authentication set as optional or enabled for your profile to enforce Multi-Factor Authentication for the domain";
    pub const MISSING_DOMAIN_LEVEL: &str = "Must provide domain multifactor enforcement level";
    pub const TOO_MANY_SENDS: &str =
        "Too many verification codes were requested for this phone. Try again later.";
    pub const TOO_MANY_USER_SENDS: &str =
        "Too many verification codes were requested for this user. Try again later.";
    pub const TOO_MANY_DOMAIN_SMS: &str =
        "Too many text messages were sent for this domain. Try again later.";
    pub const API_KEY_LOGINS_OFF: &str =
        "API key authentication is not allowed for the users of this domain.";
    pub const TOKEN_NOT_AUTHENTICATED: &str = "Token not authenticated.";
    pub const TOKEN_NOT_FOUND: &str = "Token not found.";
    pub const BODY_TOO_LARGE: &str = "The request body is larger than the 16384 bytes accepted.";
    pub const CONTROL_CHARACTERS: &str =
        "Names may not contain control characters or other invisible characters.";
    pub const BAD_CREDENTIALS: &str =
        "Error code: 'AUTH-004'; Unable to authenticate user with credentials provided.";
    pub const BAD_AUTH_BODY: &str =
        "Invalid request body: unable to parse Auth data. Please review XML or JSON formatting.";
    pub const TENANT_ID_AND_NAME: &str =
        "Invalid request. Specify tenantId OR tenantName, not both.";
    pub const INTERNAL: &str = "An unexpected error occurred. The request was not completed.";
    pub const UNAVAILABLE: &str =
        "The service is temporarily unavailable. The request was not completed; retry later.";
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// 403 `userDisabled`; carries the username for the message.
    #[error("User '{0}' is disabled.")]
    UserDisabled(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{}", msg::BAD_METHOD)]
    BadMethod,
    #[error("{}", msg::BAD_MEDIA_TYPE)]
    BadMediaType,
    /// `Accept` names only types we cannot produce (DECISIONS.md 26); answered in JSON.
    #[error("{}", msg::NOT_ACCEPTABLE)]
    NotAcceptable,
    /// A body over `http::MAX_BODY_BYTES`: 413 in the `overLimit` fault (API.md's 413),
    /// without `Retry-After` (the same body will never fit).
    #[error("{}", msg::BODY_TOO_LARGE)]
    BodyTooLarge,
    #[error("{message}")]
    OverLimit {
        message: String,
        retry_after_secs: u64,
    },
    /// A dependency (DynamoDB, SNS) is unreachable or throttling. The detail is for the log.
    #[error("{}", msg::UNAVAILABLE)]
    Unavailable(String),
    /// Anything else that is our fault. The detail is for the log.
    #[error("{}", msg::INTERNAL)]
    Internal(String),
    /// A fault with headers of its own (a login challenge's `WWW-Authenticate`, `X-User-Name`).
    #[error("{0}")]
    WithHeaders(Box<ApiError>, Vec<(&'static str, String)>),
    /// A fault with one more member beside it in the body (a WebAuthn login challenge's
    /// `RAX-AUTH:webAuthnOptions`; JSON only, `xml::write` leaves it out).
    #[error("{0}")]
    WithMember(Box<ApiError>, &'static str, serde_json::Value),
}

impl ApiError {
    pub fn bad_request(message: &str) -> Self {
        Self::BadRequest(message.to_owned())
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(message.into())
    }
    pub fn no_token() -> Self {
        Self::Unauthorized(msg::NO_TOKEN.to_owned())
    }
    pub fn not_authorized() -> Self {
        Self::Forbidden(msg::NOT_AUTHORIZED.to_owned())
    }
    pub fn invalid_json() -> Self {
        Self::BadRequest(msg::INVALID_JSON.to_owned())
    }
    pub fn invalid_xml() -> Self {
        Self::BadRequest(msg::INVALID_XML.to_owned())
    }
    /// `Invalid json request body for value '<v>'` (an unknown enum value, BEHAVIOR.md 9).
    pub fn invalid_value(value: &str) -> Self {
        Self::BadRequest(format!("{} for value '{value}'", msg::INVALID_JSON))
    }
    pub fn domain_not_found(domain_id: &str) -> Self {
        Self::NotFound(format!("Domain with ID {domain_id} not found."))
    }
    pub fn user_not_found(user_id: &str) -> Self {
        Self::NotFound(format!("User {user_id} not found"))
    }

    /// The same fault with one more response header.
    pub fn with_header(self, name: &'static str, value: impl Into<String>) -> Self {
        match self {
            Self::WithHeaders(fault, mut headers) => {
                headers.push((name, value.into()));
                Self::WithHeaders(fault, headers)
            }
            fault => Self::WithHeaders(Box::new(fault), vec![(name, value.into())]),
        }
    }

    /// The same fault with `name: value` beside it in the body.
    pub fn with_member(self, name: &'static str, value: serde_json::Value) -> Self {
        Self::WithMember(Box::new(self), name, value)
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::WithHeaders(fault, _) | Self::WithMember(fault, ..) => fault.status(),
            Self::BadRequest(_) => 400,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) | Self::UserDisabled(_) => 403,
            Self::NotFound(_) => 404,
            Self::BadMethod => 405,
            Self::NotAcceptable => 406,
            Self::BodyTooLarge => 413,
            Self::BadMediaType => 415,
            Self::OverLimit { .. } => 429,
            Self::Unavailable(_) => 503,
            Self::Internal(_) => 500,
        }
    }

    /// The root member of the fault body.
    pub fn fault_name(&self) -> &'static str {
        match self {
            Self::WithHeaders(fault, _) | Self::WithMember(fault, ..) => fault.fault_name(),
            Self::BadRequest(_) => "badRequest",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::UserDisabled(_) => "userDisabled",
            Self::NotFound(_) => "itemNotFound",
            Self::BadMethod => "badMethod",
            Self::NotAcceptable => "notAcceptable",
            Self::BadMediaType => "badMediaType",
            Self::OverLimit { .. } | Self::BodyTooLarge => "overLimit",
            Self::Unavailable(_) => "serviceUnavailable",
            Self::Internal(_) => "identityFault",
        }
    }

    /// Detail that must stay in the log (never in the response).
    pub fn internal_detail(&self) -> Option<&str> {
        match self {
            Self::WithHeaders(fault, _) | Self::WithMember(fault, ..) => fault.internal_detail(),
            Self::Unavailable(d) | Self::Internal(d) => Some(d),
            _ => None,
        }
    }

    pub fn into_response(self) -> Response<Body> {
        match self {
            Self::WithHeaders(fault, headers) => {
                let mut resp = fault.into_response();
                for (name, value) in headers {
                    if let Ok(value) = value.parse() {
                        resp.headers_mut().insert(name, value);
                    }
                }
                resp
            }
            Self::WithMember(fault, name, value) => {
                let mut body = fault.body();
                body[name] = value;
                fault_response(fault.status(), &body, fault.retry_after())
            }
            fault => fault_response(fault.status(), &fault.body(), fault.retry_after()),
        }
    }

    /// `{"<faultName>": {"code", "message"}}` (API.md 4.1).
    fn body(&self) -> serde_json::Value {
        serde_json::json!({ self.fault_name(): { "code": self.status(), "message": self.to_string() } })
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Self::OverLimit {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            Self::WithHeaders(fault, _) | Self::WithMember(fault, ..) => fault.retry_after(),
            _ => None,
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::Dependency(d) => d.into(),
            // Every caller of a conditional write handles its conflict; one that reaches here
            // is a bug.
            StoreError::Conflict => Self::Internal("unexpected write conflict".into()),
            StoreError::Corrupt(d) => Self::Internal(d),
        }
    }
}

/// Unavailable dependencies are 503, any other failure of one is 500.
impl From<crate::dependency_error::DependencyError> for ApiError {
    fn from(e: crate::dependency_error::DependencyError) -> Self {
        use crate::dependency_error::DependencyError;
        match e {
            DependencyError::Unavailable(d) => Self::Unavailable(d),
            DependencyError::Failed(d) => Self::Internal(d),
        }
    }
}

/// BEHAVIOR.md 9: `Invalid json request body for value '<value>'`.
impl From<crate::model::UnknownValue> for ApiError {
    fn from(unknown: crate::model::UnknownValue) -> Self {
        Self::invalid_value(&unknown.0)
    }
}

/// A precedence refusal (BEHAVIOR.md 1.3): a disabled caller has no valid token (401), any
/// other caller is not authorized (403).
impl From<crate::precedence::Denial> for ApiError {
    fn from(denial: crate::precedence::Denial) -> Self {
        use crate::precedence::Denial;
        match denial {
            Denial::CallerDisabled => Self::no_token(),
            Denial::NotAuthorized => Self::not_authorized(),
        }
    }
}

/// 429 with the budget's message and its wait.
impl From<crate::model::SmsRefused> for ApiError {
    fn from(refused: crate::model::SmsRefused) -> Self {
        use crate::model::SmsRefused;
        let (message, wait) = match refused {
            SmsRefused::Number(w) => (msg::TOO_MANY_SENDS, w),
            SmsRefused::UserVerifications(w) => (msg::TOO_MANY_USER_SENDS, w),
            SmsRefused::UserLogins(w) => (msg::TOO_MANY_LOGIN_SMS, w),
            SmsRefused::Domain(w) => (msg::TOO_MANY_DOMAIN_SMS, w),
        };
        Self::OverLimit {
            message: message.to_owned(),
            retry_after_secs: wait.retry_after_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_with_headers_keeps_its_status_body_and_headers() {
        let fault = ApiError::Unauthorized(msg::ADDITIONAL_CREDENTIALS.to_owned())
            .with_header("www-authenticate", "OS-MF sessionId='s', factor='PASSCODE'")
            .with_header("x-user-name", "jq");
        assert_eq!((fault.status(), fault.fault_name()), (401, "unauthorized"));
        assert_eq!(fault.to_string(), msg::ADDITIONAL_CREDENTIALS);
        let resp = fault.into_response();
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.headers()["www-authenticate"],
            "OS-MF sessionId='s', factor='PASSCODE'"
        );
        assert_eq!(resp.headers()["x-user-name"], "jq");
        let body: serde_json::Value = serde_json::from_slice(resp.body().as_ref()).unwrap();
        assert_eq!(body["unauthorized"]["message"], msg::ADDITIONAL_CREDENTIALS);
    }

    #[test]
    fn a_fault_with_a_member_keeps_it_beside_the_fault_and_its_headers() {
        let fault = ApiError::Unauthorized(msg::ADDITIONAL_CREDENTIALS.to_owned())
            .with_member(
                "RAX-AUTH:webAuthnOptions",
                serde_json::json!({"publicKey": {}}),
            )
            .with_header("www-authenticate", "OS-MF sessionId='s', factor='WEBAUTHN'");
        assert_eq!((fault.status(), fault.fault_name()), (401, "unauthorized"));
        let resp = fault.into_response();
        assert_eq!(
            resp.headers()["www-authenticate"],
            "OS-MF sessionId='s', factor='WEBAUTHN'"
        );
        let body: serde_json::Value = serde_json::from_slice(resp.body().as_ref()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "unauthorized": {"code": 401, "message": msg::ADDITIONAL_CREDENTIALS},
                "RAX-AUTH:webAuthnOptions": {"publicKey": {}}})
        );
    }

    #[test]
    fn dependency_failures_are_503_when_unavailable_and_500_otherwise() {
        use crate::dependency_error::DependencyError;
        let unavailable: ApiError = DependencyError::Unavailable("KMS unreachable".into()).into();
        let failed: ApiError = DependencyError::Failed("KMS AccessDenied".into()).into();
        assert_eq!((unavailable.status(), failed.status()), (503, 500));
        assert_eq!(failed.internal_detail(), Some("KMS AccessDenied"));
        assert_eq!(
            failed.to_string(),
            msg::INTERNAL,
            "the detail never reaches the client"
        );
    }
}
