//! The self-service security page — `GET /console` and its assets under `/console/{asset}`:
//! plain HTML, CSS and JavaScript modules compiled into the binary, served from the API's own
//! origin so that the page calls the public API without CORS and WebAuthn's origin is the
//! API's. It needs no AWS service (no Services, no policy); `assets.rs` says what is served
//! and with which headers.

mod assets;

use mfa_shared::{Body, Request, Response};

fn handle(req: Request) -> Response<Body> {
    assets::answer(req.uri().path())
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::runtime::run_static("console", handle).await
}
