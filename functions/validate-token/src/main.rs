//! Validate a token — `GET` and `HEAD /v2.0/tokens/{tokenId}` (`?belongsTo=<tenant id>`): for
//! the services behind the identity service. Callers need `identity:admin`,
//! `identity:service-admin` or `identity:validate-token`, or to name their own token (a client
//! checking its token, as rackspaceauth's `validate()` does); 403 otherwise. A live token answers
//! 200 with its `access` body (no catalog; HEAD: no body); an unknown, expired or revoked one,
//! a login session id, or a token not of the `belongsTo` tenant, 404.

use mfa_shared::caller::{authenticate, find_valid, Valid, AUTH_TOKEN_HEADER};
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, json_response, path_param, single_header};
use mfa_shared::roles::{IdentityRole, Role};
use mfa_shared::{views, ApiError, Body, Request, RequestExt, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let token_id = path_param(&req, "tokenId")?;
    let own = single_header(&req, AUTH_TOKEN_HEADER)
        .ok()
        .flatten()
        .map(str::trim);
    if !may_validate(&caller.account.user.roles) && own != Some(token_id.trim()) {
        return Err(ApiError::not_authorized());
    }
    let not_found = || ApiError::not_found(msg::TOKEN_NOT_FOUND);
    let Valid::Token(holder) = find_valid(services, token_id.trim()).await? else {
        return Err(not_found());
    };
    if let Some(tenants) = req
        .query_string_parameters_ref()
        .and_then(|q| q.first("belongsTo"))
    {
        if !belongs_to(services, &holder.account.user.domain_id, tenants).await? {
            return Err(not_found());
        }
    }
    if req.method() == "HEAD" {
        return Ok(empty_response(200));
    }
    let catalog = services.catalog().await?;
    let access = views::access(
        &token_id,
        &holder.token,
        &holder.account.user,
        catalog.as_deref(),
    );
    Ok(json_response(200, &json!({ "access": access })))
}

/// Administrators, and services given `identity:validate-token`.
fn may_validate(roles: &[String]) -> bool {
    roles.iter().filter_map(|r| Role::from_name(r)).any(|r| {
        matches!(
            r,
            Role::ValidateToken | Role::Identity(IdentityRole::Admin | IdentityRole::ServiceAdmin)
        )
    })
}

/// Whether the token's user has one of the comma-separated tenants (BEHAVIOR of the
/// original: any of them will do).
async fn belongs_to(
    services: &Services,
    domain: &Option<String>,
    tenants: &str,
) -> Result<bool, ApiError> {
    let Some(domain) = domain else {
        return Ok(false);
    };
    let asked: Vec<&str> = tenants
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if asked.contains(&domain.as_str()) {
        return Ok(true);
    }
    let own = services.store.list_tenants(domain).await?;
    Ok(own
        .iter()
        .any(|t| t.enabled && asked.contains(&t.id.as_str())))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("validate-token", handle).await
}
