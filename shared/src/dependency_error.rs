//! What a failed AWS SDK call means for the client: the dependency is unavailable (503, try
//! again) or it failed our request (500, our setup or our data). One error type and one
//! classification for every SDK crate; only the error's kind and code are kept, never its
//! Display (which can quote the request).

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DependencyError {
    /// Unreachable, timed out, or one of the service's retryable codes.
    #[error("{0} unavailable")]
    Unavailable(String),
    /// Any other service error code, a request that could not be built, or an answer we cannot
    /// use (a tampered sealed secret, a malformed pepper).
    #[error("{0}")]
    Failed(String),
}

/// A dependency: its name in messages and the codes that mean "try again".
pub struct Dependency {
    pub name: &'static str,
    pub retryable: &'static [&'static str],
}

pub const DYNAMODB: Dependency = Dependency {
    name: "DynamoDB",
    retryable: &[
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionInProgressException",
    ],
};
pub const SNS: Dependency = Dependency {
    name: "SNS",
    retryable: &[
        "Throttled",
        "ThrottlingException",
        "InternalError",
        "InternalFailure",
        "ServiceUnavailable",
        "KMSThrottling",
    ],
};
pub const KMS: Dependency = Dependency {
    name: "KMS",
    retryable: &[
        "ThrottlingException",
        "KMSInternalException",
        "DependencyTimeoutException",
    ],
};
/// A missing secret, access denied, a deleted or undecryptable secret: our setup, 500.
pub const SECRETS_MANAGER: Dependency = Dependency {
    name: "Secrets Manager",
    retryable: &["ThrottlingException", "InternalServiceError"],
};

impl Dependency {
    pub fn classify<E, R>(&self, err: &SdkError<E, R>) -> DependencyError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        match err {
            SdkError::DispatchFailure(_)
            | SdkError::TimeoutError(_)
            | SdkError::ResponseError(_) => {
                DependencyError::Unavailable(format!("{} unreachable", self.name))
            }
            SdkError::ServiceError(service_error) => {
                let code = service_error.err().code().unwrap_or("unknown").to_owned();
                if self.retryable.contains(&code.as_str()) {
                    DependencyError::Unavailable(format!("{} {code}", self.name))
                } else {
                    DependencyError::Failed(format!("{} {code}", self.name))
                }
            }
            _ => DependencyError::Failed(format!("{} request could not be built", self.name)),
        }
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
    fn retryable_codes_are_unavailable_and_others_failed() {
        assert_eq!(
            SNS.classify(&service_error("Throttled")),
            DependencyError::Unavailable("SNS Throttled".into())
        );
        assert_eq!(
            SNS.classify(&service_error("AccessDenied")),
            DependencyError::Failed("SNS AccessDenied".into())
        );
        assert_eq!(
            DYNAMODB.classify(&service_error("ProvisionedThroughputExceededException")),
            DependencyError::Unavailable("DynamoDB ProvisionedThroughputExceededException".into())
        );
        let unbuilt: SdkError<GetItemError, Response> = SdkError::construction_failure("x");
        assert_eq!(
            KMS.classify(&unbuilt),
            DependencyError::Failed("KMS request could not be built".into())
        );
    }
}
