//! Update domain enforcement — `PUT /v2.0/RAX-AUTH/domains/{domainId}/multi-factor`
//! (BEHAVIOR.md 1.4 and 2.14, DECISIONS.md 10): OPTIONAL or REQUIRED; moving to REQUIRED
//! revokes the password-only tokens of the domain's users who are not OPTIONAL (a new domain
//! epoch, stored with the level and checked when a token is used: `User::accepts`).

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, parse_wrapped, path_param};
use mfa_shared::model::EnforcementLevel;
use mfa_shared::roles::IdentityRole;
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
    let level = match body.level.as_deref() {
        None => return Err(ApiError::bad_request(msg::MISSING_DOMAIN_LEVEL)),
        Some("OPTIONAL") => EnforcementLevel::Optional,
        Some("REQUIRED") => EnforcementLevel::Required,
        Some(other) => return Err(ApiError::invalid_value(other)),
    };
    let domain_id = path_param(&req, "domainId")?;

    let user = &caller.account.user;
    let role = user.identity_role().ok_or_else(ApiError::not_authorized)?;
    if role.weight() > IdentityRole::UserManage.weight() {
        return Err(ApiError::not_authorized());
    }
    if role.is_domain_based() {
        // Domain ids match exactly, as they are stored: `corpx` is not `CORPX`.
        if user.domain_id.as_deref() != Some(domain_id.as_str()) {
            return Err(ApiError::not_authorized());
        }
        if !user.mfa.enabled && user.mfa.enforcement_level != Some(EnforcementLevel::Optional) {
            return Err(ApiError::Forbidden(msg::MFA_NEEDED_FOR_DOMAIN.to_owned()));
        }
    }
    let domain = services
        .store
        .get_domain(&domain_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Domain with ID {domain_id} not found.")))?;
    if domain.enforcement_level == Some(level) {
        return Ok(empty_response(204));
    }
    services.store.set_domain_level(&domain.id, level).await?;
    tracing::info!(
        domain_id = domain.id,
        level = level.name(),
        by = caller.user_id(),
        "domain enforcement level set"
    );
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("update-domain-enforcement", handle).await
}
