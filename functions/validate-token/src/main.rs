//! Validate a token — `GET` and `HEAD /v2.0/tokens/{tokenId}` (`?belongsTo=<tenant id>`): for
//! the services behind the identity service. Callers need `identity:admin`,
//! `identity:service-admin` or `identity:validate-token`, or to name their own token (a client
//! checking its token, as rackspaceauth's `validate()` does); 403 otherwise. A live token answers
//! 200 with its `access` body (no catalog; HEAD: no body); an unknown, expired or revoked one,
//! a login session id, or a token not of the `belongsTo` tenant, 404.

mod decide;

use mfa_shared::caller::{authenticate, find_valid, Valid, AUTH_TOKEN_HEADER};
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, json_response, path_param, single_header};
use mfa_shared::{views, ApiError, Body, Request, RequestExt, Response, Services};
use serde_json::json;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let token_id = path_param(&req, "tokenId")?;
    let own = single_header(&req, AUTH_TOKEN_HEADER)
        .ok()
        .flatten()
        .map(str::trim);
    let token_id = token_id.trim();
    let its_own = own == Some(token_id);
    decide::authorize(&caller, its_own)?;
    let not_found = || ApiError::not_found(msg::TOKEN_NOT_FOUND);
    // A token asking about itself was just found live by `authenticate`: no second look.
    let holder = if its_own {
        caller
    } else {
        match find_valid(services, token_id).await? {
            Valid::Token(holder) => *holder,
            Valid::SessionId | Valid::No => return Err(not_found()),
        }
    };
    let asked = req
        .query_string_parameters_ref()
        .and_then(|q| q.first("belongsTo").map(str::to_owned));
    if let Some(asked) = asked {
        let tenants = match &holder.account.user.domain_id {
            Some(domain) => services.store.list_tenants(domain).await?,
            None => Vec::new(),
        };
        if !decide::belongs_to(&tenants, &asked) {
            return Err(not_found());
        }
    }
    if req.method() == "HEAD" {
        return Ok(empty_response(200));
    }
    let catalog = services.catalog().await?;
    let access = views::access(
        token_id,
        &holder.token,
        &holder.account.user,
        catalog.as_deref(),
    );
    Ok(json_response(200, &json!({ "access": access })))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("validate-token", handle).await
}
