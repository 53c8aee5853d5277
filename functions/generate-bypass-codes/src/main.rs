//! Generate bypass codes — `POST …/multi-factor/bypass-codes` (BEHAVIOR.md 2.13 and 6,
//! DECISIONS.md "Bypass codes", 21): 8-digit single-use codes, stored only as keyed hashes;
//! a new batch replaces every earlier code.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{json_response, lenient, parse_wrapped, path_param};
use mfa_shared::model::{format_duration_ms, now_ms, parse_duration_ms, BypassCode};
use mfa_shared::roles::IdentityRole;
use mfa_shared::secrets::{keyed_hash, random_digits, CodePurpose};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;

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
    let body: BypassRequest = if req.body().is_empty() {
        BypassRequest::default()
    } else {
        parse_wrapped(&req, "RAX-AUTH:bypassCodes")?
    };
    let validity_ms = match &body.validity_duration {
        None => None,
        Some(text) => Some(parse_duration_ms(text).ok_or_else(|| ApiError::invalid_value(text))?),
    };
    let user_id = path_param(&req, "userId")?;
    let mut target = caller.load_target(services, &user_id).await?;
    let self_service = caller.user_id() == target.user.id;
    if !self_service {
        let manager_or_above = caller
            .account
            .user
            .identity_role()
            .is_some_and(|r| r.weight() <= IdentityRole::UserManage.weight());
        if !manager_or_above {
            return Err(ApiError::not_authorized());
        }
        caller.authorize(&target)?;
    }
    if !target.user.enabled {
        return Err(ApiError::UserDisabled(target.user.username.clone()));
    }
    if !target.user.mfa.enabled {
        return Err(ApiError::bad_request(msg::MFA_NEEDED_FOR_DOMAIN));
    }

    let config = &services.config;
    let count = match (self_service, body.number_of_codes) {
        (true, Some(n)) => n.clamp(1, config.bypass_max_codes),
        (true, None) => config.bypass_max_codes,
        (false, _) => 1,
    };
    let validity_ms = match (validity_ms, self_service) {
        (Some(ms), _) => ms.clamp(1_000, config.bypass_max_validity.as_millis() as i64),
        (None, true) => config.bypass_self_default.as_millis() as i64,
        (None, false) => config.bypass_other_default.as_millis() as i64,
    };
    let mut codes = BTreeSet::new();
    while codes.len() < count as usize {
        codes.insert(random_digits(CODE_DIGITS));
    }
    let pepper = services.pepper().get().await?;
    let expires_at_ms = now_ms() + validity_ms;
    let stored: Vec<BypassCode> = codes
        .iter()
        .map(|code| BypassCode {
            hash: keyed_hash(pepper, CodePurpose::BypassCode, &user_id, code),
            expires_at_ms,
            expires_at: expires_at_ms / 1000 + 1,
        })
        .collect();
    let mut replaced = false;
    for _ in 0..mfa_shared::store::GENERATION_RETRIES {
        match services.store.replace_bypass_codes(&target, &stored).await {
            Ok(()) => {
                replaced = true;
                break;
            }
            // MFA was turned off, or codes were replaced, meanwhile: decide again on fresh data.
            Err(StoreError::Conflict) => {
                target = services.reload_account(&user_id).await?;
                if !target.user.mfa.enabled {
                    return Err(ApiError::bad_request(msg::MFA_NEEDED_FOR_DOMAIN));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !replaced {
        return Err(ApiError::Unavailable(
            "bypass codes kept changing under concurrent requests".into(),
        ));
    }
    tracing::info!(
        user_id,
        by = caller.user_id(),
        count,
        validity_ms,
        "bypass codes generated"
    );
    Ok(json_response(
        200,
        &json!({ "RAX-AUTH:bypassCodes": {
            "codes": codes.into_iter().collect::<Vec<_>>(),
            "validityDuration": format_duration_ms(validity_ms),
        }}),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("generate-bypass-codes", handle).await
}
