//! `mfa-shared`: everything two rax-mfa functions would otherwise both write.

pub mod aws_calls;
pub mod caller;
pub mod commit;
pub mod config;
pub mod dependency_error;
pub mod error;
pub mod events;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod http;
pub mod media;
pub mod model;
pub mod phone;
pub mod precedence;
pub mod response;
pub mod roles;
pub mod routes;
pub mod runtime;
pub mod secrets;
pub mod sms;
pub mod store;
pub mod views;
pub mod webauthn;
pub mod xml;

pub use error::ApiError;
pub use lambda_http::{Body, Request, RequestExt, Response};
pub use runtime::{run, Services};
