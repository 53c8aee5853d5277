//! The WebAuthn step (WEBAUTHN.md "Login"): `X-SessionId` and the browser's answer to the
//! session's challenge. A refused answer counts as a failed second factor exactly like a
//! wrong passcode; an accepted one completes the login in the same one transaction, which also
//! raises the device's counter from the value it was checked against.

use crate::decide;
use crate::passcode::{complete, count_failure, no_scope, open, Login, Opened};
use crate::Asked;
use mfa_shared::error::msg;
use mfa_shared::events::Trail;
use mfa_shared::webauthn::{AssertionResponse, RelyingParty};
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde_json::Value;

pub async fn step(
    services: &Services,
    req: &Request,
    trail: &Trail,
    answer: Value,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    no_scope(&asked)?;
    // Unknown members are ignored (browsers add some); a wrong shape is a parse error.
    let answer: AssertionResponse =
        serde_json::from_value(answer).map_err(|_| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    let Opened {
        session_hash,
        session,
        account,
        now,
    } = open(services, req, trail).await?;
    decide::expects_assertion(&account)?;
    let rp = RelyingParty::new(&services.config.webauthn)?;
    let login = Login {
        trail,
        session_hash: &session_hash,
        asked: &asked,
        now,
    };
    match decide::prove_assertion(&account, &session, &rp, &answer) {
        Ok(proof) => complete(services, &login, &account, proof).await,
        Err(refusal) => match refusal.internal() {
            Some(ours) => Err(ours),
            None => {
                tracing::info!(reason = refusal.name(), "WebAuthn assertion refused");
                Err(count_failure(services, &login, account, refusal.name()).await)
            }
        },
    }
}
