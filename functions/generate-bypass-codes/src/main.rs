//! Generate bypass codes — `POST …/multi-factor/bypass-codes` (BEHAVIOR.md 2.13 and 6,
//! DECISIONS.md "Bypass codes", 21): 8-digit single-use codes, stored only as keyed hashes;
//! a new batch replaces every earlier code. The rules are in `decide.rs`.

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::events::EventType;
use mfa_shared::http::{json_response, lenient, parse_wrapped, path_param};
use mfa_shared::model::{format_duration_ms, now_ms, BypassCode, Expiry};
use mfa_shared::secrets::{keyed_hash, random_digits, CodePurpose};
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

const CODE_DIGITS: usize = 8;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BypassRequest {
    #[serde(default)]
    validity_duration: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u32")]
    number_of_codes: Option<u32>,
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    // The body and every member are optional.
    let body: BypassRequest = match req.body().is_empty() {
        true => BypassRequest::default(),
        false => parse_wrapped(&req, "RAX-AUTH:bypassCodes")?,
    };
    let asked = decide::Asked {
        validity_duration: body.validity_duration,
        number_of_codes: body.number_of_codes,
    };
    let user_id = path_param(&req, "userId")?;
    let target = caller.load_target(services, &user_id).await?;
    let config = &services.config;
    let plan = decide::decide(&caller, &target, &asked, config)?;
    let mut codes = BTreeSet::new();
    while codes.len() < plan.count as usize {
        codes.insert(random_digits(CODE_DIGITS));
    }
    let pepper = services.pepper().get().await?;
    let expiry = Expiry::after(now_ms(), Duration::from_millis(plan.validity_ms as u64));
    let stored: Vec<BypassCode> = codes
        .iter()
        .map(|code| BypassCode {
            hash: keyed_hash(pepper, CodePurpose::BypassCode, &user_id, code),
            expires_at_ms: expiry.ms(),
            expires_at: expiry.ttl_secs(),
        })
        .collect();
    let (stored, by, asked) = (&stored, &caller, &asked);
    let trail = &services.trail(&req).acting(caller.user_id());
    // A removal of MFA or another batch meanwhile: decide again on fresh data.
    commit::on_account(services, Budget::Generation, target, |target| async move {
        decide::decide(by, &target, asked, config)?;
        let generated = trail
            .event(EventType::BypassGenerate, &target.user)
            .with_reason(format!("{} codes", stored.len()));
        let write = services
            .store
            .replace_bypass_codes(&target, stored, &[generated])
            .await;
        attempt(write)
    })
    .await?;
    tracing::info!(
        by = caller.user_id(),
        count = plan.count,
        "bypass codes generated"
    );
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:bypassCodes": {
            "codes": codes.into_iter().collect::<Vec<_>>(),
            "validityDuration": format_duration_ms(plan.validity_ms),
        }}),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("generate-bypass-codes", handle).await
}
