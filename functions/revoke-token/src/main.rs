//! Revoke a token — `DELETE /v2.0/tokens` (the caller's own, by its `X-Auth-Token`) and
//! `DELETE /v2.0/tokens/{tokenId}` (any token: `identity:admin` and `identity:service-admin`;
//! anyone may name their own). 204; another's unknown or already dead token, 404.

mod decide;

use decide::Target;
use mfa_shared::caller::{authenticate, find_valid, Valid, AUTH_TOKEN_HEADER};
use mfa_shared::error::msg;
use mfa_shared::events::EventType;
use mfa_shared::http::{empty_response, single_header};
use mfa_shared::secrets::sha256_hex;
use mfa_shared::{ApiError, Body, Request, RequestExt, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let own = single_header(&req, AUTH_TOKEN_HEADER)
        .ok()
        .flatten()
        .map(str::trim)
        .unwrap_or_default();
    let named = req
        .path_parameters_ref()
        .and_then(|p| p.first("tokenId").map(str::trim));
    let (target, holder) = match decide::decide(&caller, own, named)? {
        Target::Own(id) => (id, caller.account.user.clone()),
        // Only live tokens are found: a dead one is as good as revoked.
        Target::Other(id) => match find_valid(services, id).await? {
            Valid::Token(holder) => (id, holder.account.user),
            _ => return Err(ApiError::not_found(msg::TOKEN_NOT_FOUND)),
        },
    };
    let revoked = services
        .trail(&req)
        .acting(caller.user_id())
        .event(EventType::TokenRevoke, &holder);
    if !services
        .store
        .delete_token(&sha256_hex(target), &[revoked])
        .await?
    {
        return Err(ApiError::not_found(msg::TOKEN_NOT_FOUND));
    }
    tracing::info!(by = caller.user_id(), "token revoked");
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("revoke-token", handle).await
}
