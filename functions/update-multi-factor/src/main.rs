//! Update multi-factor settings — `PUT /v2.0/users/{userId}/RAX-AUTH/multi-factor`
//! (BEHAVIOR.md 2.12, DECISIONS.md 17, 19, 27): enable (with a factor), switch factor, disable,
//! unlock, or set the user's enforcement level — one kind of change per request.

mod enable;

use mfa_shared::caller::{authenticate, Caller};
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, lenient, parse_wrapped, path_param};
use mfa_shared::model::{Account, EnforcementLevel, FactorType};
use mfa_shared::precedence::{check_level_precedence, Denial};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Settings {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    unlock: Option<bool>,
    #[serde(default)]
    factor_type: Option<String>,
    #[serde(default, rename = "userMultiFactorEnforcementLevel")]
    level: Option<String>,
}

/// The request, with its enum values read (an unknown value is a 400 of the parser).
struct Change {
    enabled: Option<bool>,
    unlock: Option<bool>,
    factor: Option<FactorType>,
    level: Option<EnforcementLevel>,
}

fn read(settings: Settings) -> Result<Change, ApiError> {
    let factor = match settings.factor_type.as_deref() {
        None => None,
        Some("SMS") => Some(FactorType::Sms),
        Some("OTP") => Some(FactorType::Otp),
        Some(other) => return Err(ApiError::invalid_value(other)),
    };
    let level = match settings.level.as_deref() {
        None => None,
        Some("DEFAULT") => Some(EnforcementLevel::Default),
        Some("OPTIONAL") => Some(EnforcementLevel::Optional),
        Some("REQUIRED") => Some(EnforcementLevel::Required),
        Some(other) => return Err(ApiError::invalid_value(other)),
    };
    Ok(Change {
        enabled: settings.enabled,
        unlock: settings.unlock,
        factor,
        level,
    })
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let change = read(parse_wrapped(&req, "RAX-AUTH:multiFactor")?)?;
    let user_id = path_param(&req, "userId")?;
    let target = caller.load_target(services, &user_id).await?;
    authorize(&caller, &target, &change)?;

    if change.enabled == Some(false)
        && (change.factor.is_some() || change.unlock.is_some() || change.level.is_some())
    {
        return Err(ApiError::bad_request(msg::OTHER_WHILE_DISABLING));
    }
    if change.enabled == Some(true) || change.factor.is_some() {
        if change.enabled.is_none() && !target.user.mfa.enabled {
            return Err(ApiError::bad_request(msg::FACTOR_NEEDS_MFA));
        }
        if change.unlock.is_some() || change.level.is_some() {
            return Err(ApiError::bad_request(msg::OTHER_WHILE_SETTING));
        }
        enable::enable(services, target, change.factor).await?;
    } else if change.enabled == Some(false) {
        disable(services, target).await?;
    } else if change.unlock == Some(true) {
        if change.level.is_some() {
            return Err(ApiError::bad_request(msg::OTHER_WHILE_UNLOCKING));
        }
        services.store.unlock_mfa(&user_id).await?;
        tracing::info!(user_id, by = caller.user_id(), "multi-factor unlocked");
    } else if let Some(level) = change.level {
        if change.unlock.is_some() {
            return Err(ApiError::bad_request(msg::OTHER_WHILE_LEVEL));
        }
        if target.user.mfa.enforcement_level != Some(level) {
            services
                .store
                .set_user_enforcement_level(&user_id, level)
                .await?;
            tracing::info!(user_id, level = level.name(), "user enforcement level set");
        }
    }
    Ok(empty_response(204))
}

/// Who may make this change (BEHAVIOR.md 1.4): precedence for everything but the level, which
/// has its own matrix; nobody unlocks itself; a SETUP-MFA token never sets a level.
fn authorize(caller: &Caller, target: &Account, change: &Change) -> Result<(), ApiError> {
    let only_level = change.level.is_some()
        && change.enabled.is_none()
        && change.unlock.is_none()
        && change.factor.is_none();
    if !only_level {
        caller.authorize(target)?;
    }
    if change.unlock == Some(true) && caller.user_id() == target.user.id {
        return Err(ApiError::Forbidden(msg::SELF_UNLOCK.to_owned()));
    }
    if change.level.is_some() {
        // DECISIONS.md 19: a SETUP-MFA token never sets a level (the scope answers first).
        if caller.token.is_setup_mfa() {
            return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()));
        }
        match check_level_precedence(&caller.account.user.principal(), &target.user.principal()) {
            Ok(()) => {}
            Err(Denial::CallerDisabled) => return Err(ApiError::no_token()),
            Err(Denial::NotAuthorized) => return Err(ApiError::not_authorized()),
        }
    }
    Ok(())
}

/// BEHAVIOR.md 2.12 branch B: off, factor and failures cleared, bypass codes deleted; devices
/// and the enforcement level kept. A no-op when MFA is already off.
async fn disable(services: &Services, mut target: Account) -> Result<(), ApiError> {
    for _ in 0..mfa_shared::store::REMOVAL_RETRIES {
        if !target.user.mfa.enabled {
            return Ok(());
        }
        match services.store.disable_mfa(&target).await {
            Ok(()) => {
                tracing::info!(user_id = target.user.id, "multi-factor disabled");
                return Ok(());
            }
            Err(StoreError::Conflict) => target = services.reload_account(&target.user.id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "MFA settings kept changing under concurrent requests".into(),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("update-multi-factor", handle).await
}
