//! Building responses: the one leaf every other HTTP module uses (faults included), so that
//! error, media and http need not import each other.

use lambda_http::http::header::{CONTENT_TYPE, RETRY_AFTER, VARY};
use lambda_http::{Body, Response};
use serde_json::Value;

/// Responses vary by these request headers (API.md 1.1).
const VARY_VALUE: &str = "Accept, Accept-Encoding, X-Auth-Token";

fn response(status: u16, body: Body, content_type: Option<&str>) -> Response<Body> {
    let mut builder = Response::builder().status(status).header(VARY, VARY_VALUE);
    if let Some(ct) = content_type {
        builder = builder.header(CONTENT_TYPE, ct);
    }
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

pub fn json_response(status: u16, value: &Value) -> Response<Body> {
    response(
        status,
        Body::Text(value.to_string()),
        Some("application/json"),
    )
}

pub fn empty_response(status: u16) -> Response<Body> {
    response(status, Body::Empty, None)
}

/// A fault document (`ApiError::body`), with `Retry-After` when the fault has a wait.
pub(crate) fn fault_response(
    status: u16,
    body: &Value,
    retry_after_secs: Option<u64>,
) -> Response<Body> {
    let mut resp = json_response(status, body);
    if let Some(secs) = retry_after_secs {
        if let Ok(v) = secs.to_string().parse() {
            resp.headers_mut().insert(RETRY_AFTER, v);
        }
    }
    resp
}
