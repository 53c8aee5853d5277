//! Update domain enforcement — `PUT /v2.0/RAX-AUTH/domains/{domainId}/multi-factor`
//! (BEHAVIOR.md 1.4 and 2.14, DECISIONS.md 10): OPTIONAL or REQUIRED; moving to REQUIRED
//! revokes the password-only tokens of the domain's users who are not OPTIONAL (a new domain
//! epoch, stored with the level and checked when a token is used: `User::accepts`). The rules
//! are in `decide.rs`.

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::events::EventType;
use mfa_shared::http::{empty_response, parse_wrapped, path_param};
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainSettings {
    #[serde(default, rename = "domainMultiFactorEnforcementLevel")]
    level: Option<String>,
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: DomainSettings = parse_wrapped(&req, "RAX-AUTH:multiFactorDomain")?;
    let level = decide::level(body.level.as_deref())?;
    let domain_id = path_param(&req, "domainId")?;
    decide::authorize(&caller, &domain_id)?;
    let domain = services
        .store
        .get_domain(&domain_id)
        .await?
        .ok_or_else(|| ApiError::domain_not_found(&domain_id))?;
    if let Some(level) = decide::plan(&domain, level) {
        // One write with its event: the level (and with REQUIRED the new epoch) is the whole change.
        let changed = services
            .trail(&req)
            .acting(caller.user_id())
            .domain_event(EventType::DomainEnforcement, &domain.id)
            .with_reason(format!("level {}", level.name()));
        services
            .store
            .set_domain_level(&domain.id, level, &[changed])
            .await?;
        tracing::info!(
            domain_id,
            level = level.name(),
            by = caller.user_id(),
            "domain enforcement level set"
        );
    }
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("update-domain-enforcement", handle).await
}
