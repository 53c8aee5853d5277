//! What a failed AWS SDK call means for the client: the dependency is unavailable (503, try
//! again) or it refused the request (500, our setup). One classification for every SDK crate;
//! only the error's kind and code are kept, never its Display (which can quote the request).

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

#[derive(Debug, PartialEq, Eq)]
pub enum DependencyError {
    /// Unreachable, timed out, or one of the service's retryable codes.
    Unavailable(String),
    /// Any other service error code, or a request that could not be built.
    Refused(String),
}

/// `service` names the dependency in the message; `retryable` lists its throttling and
/// internal-error codes.
pub fn classify<E, R>(err: &SdkError<E, R>, service: &str, retryable: &[&str]) -> DependencyError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            DependencyError::Unavailable(format!("{service} unreachable"))
        }
        SdkError::ServiceError(service_error) => {
            let code = service_error.err().code().unwrap_or("unknown").to_owned();
            if retryable.contains(&code.as_str()) {
                DependencyError::Unavailable(code)
            } else {
                DependencyError::Refused(code)
            }
        }
        _ => DependencyError::Refused(format!("{service} request could not be built")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::error::ErrorMetadata;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;

    fn service_error(code: &str) -> SdkError<GetItemError, Response> {
        let err = GetItemError::generic(ErrorMetadata::builder().code(code).build());
        let raw = Response::new(StatusCode::try_from(400).unwrap(), SdkBody::empty());
        SdkError::service_error(err, raw)
    }

    #[test]
    fn retryable_codes_are_unavailable_and_others_refused() {
        assert_eq!(
            classify(&service_error("Throttled"), "SNS", &["Throttled"]),
            DependencyError::Unavailable("Throttled".into())
        );
        assert_eq!(
            classify(&service_error("AccessDenied"), "SNS", &["Throttled"]),
            DependencyError::Refused("AccessDenied".into())
        );
        let unbuilt: SdkError<GetItemError, Response> = SdkError::construction_failure("x");
        assert_eq!(
            classify(&unbuilt, "KMS", &[]),
            DependencyError::Refused("KMS request could not be built".into())
        );
    }
}
