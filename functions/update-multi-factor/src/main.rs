//! Update multi-factor settings — `PUT /v2.0/users/{userId}/RAX-AUTH/multi-factor`
//! (BEHAVIOR.md 2.12, DECISIONS.md 17, 19, 27): enable (with a factor), switch factor, disable,
//! unlock, or set the user's enforcement level — one kind of change per request. The rules are
//! in `decide.rs`.

mod decide;

use decide::{Asked, MfaChange, Plan};
use mfa_shared::caller::authenticate;
use mfa_shared::commit::{self, attempt, Attempt, Budget};
use mfa_shared::events::{DeviceKind, EventType, Trail};
use mfa_shared::http::{empty_response, lenient, parse_wrapped, path_param};
use mfa_shared::model::Account;
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

/// The body, its enum values read (an unknown value is a 400 of the parser).
fn read(settings: Settings) -> Result<Asked, ApiError> {
    Ok(Asked {
        enabled: settings.enabled,
        unlock: settings.unlock,
        factor: settings
            .factor_type
            .as_deref()
            .map(str::parse)
            .transpose()?,
        level: settings.level.as_deref().map(str::parse).transpose()?,
    })
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let asked = read(parse_wrapped(&req, "RAX-AUTH:multiFactor")?)?;
    let target = caller
        .load_target(services, &path_param(&req, "userId")?)
        .await?;
    decide::authorize(&caller, &target, &asked)?;
    let change = decide::change(&asked, &target)?;
    // Turning MFA off outlasts concurrent bypass-code generations (commit.rs says why).
    let budget = match change {
        MfaChange::Disable => Budget::Removal,
        _ => Budget::Contended,
    };
    let trail = &services.trail(&req).acting(caller.user_id());
    let plan = commit::on_account(services, budget, target, |target| async move {
        let plan = decide::plan(change, &target)?;
        Ok(match write(services, trail, &target, &plan).await? {
            Attempt::Done(()) => Attempt::Done(plan),
            Attempt::Changed => Attempt::Changed,
        })
    })
    .await?;
    tracing::info!(
        by = caller.user_id(),
        ?plan,
        "multi-factor settings updated"
    );
    Ok(empty_response(204))
}

/// The plan's write, with the one event that records it.
async fn write(
    services: &Services,
    trail: &Trail,
    target: &Account,
    plan: &Plan,
) -> Result<Attempt<()>, ApiError> {
    let store = &services.store;
    let (user, user_id) = (&target.user, &target.user.id);
    attempt(match plan {
        Plan::Nothing => Ok(()),
        Plan::Enable { factor, device_id } => {
            // Turning it on, or (already on) switching the factor.
            let kind = match user.mfa.enabled {
                false => EventType::MfaEnable,
                true => EventType::MfaFactor,
            };
            let event = trail
                .event(kind, user)
                .with_factor(*factor)
                .with_device(DeviceKind::of(*factor), device_id);
            store.enable_mfa(target, *factor, device_id, &[event]).await
        }
        Plan::Disable => {
            let event = trail.event(EventType::MfaDisable, user);
            store.disable_mfa(target, &[event]).await
        }
        Plan::Unlock => {
            let event = trail.event(EventType::MfaUnlock, user);
            store.unlock_mfa(user_id, &[event]).await
        }
        Plan::SetLevel(level) => {
            let event = trail
                .event(EventType::MfaLevel, user)
                .with_reason(format!("level {}", level.name()));
            store
                .set_user_enforcement_level(user_id, *level, &[event])
                .await
        }
    })
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("update-multi-factor", handle).await
}
