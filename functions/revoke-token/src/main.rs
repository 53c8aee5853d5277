//! Revoke a token — `DELETE /v2.0/tokens` (the caller's own, by its `X-Auth-Token`) and
//! `DELETE /v2.0/tokens/{tokenId}` (any token: `identity:admin` and `identity:service-admin`;
//! anyone may name their own). 204; another's unknown or already dead token, 404.

use mfa_shared::caller::{authenticate, find_valid, Valid, AUTH_TOKEN_HEADER};
use mfa_shared::error::msg;
use mfa_shared::http::empty_response;
use mfa_shared::roles::IdentityRole;
use mfa_shared::secrets::sha256_hex;
use mfa_shared::{ApiError, Body, Request, RequestExt, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let own = req
        .headers()
        .get(AUTH_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let named = req
        .path_parameters_ref()
        .and_then(|p| p.first("tokenId"))
        .map(|t| t.trim().to_owned());
    let target = match named {
        None => own,
        Some(id) if id == own => id,
        Some(id) => {
            let admin = matches!(
                caller.account.user.identity_role(),
                Some(IdentityRole::Admin | IdentityRole::ServiceAdmin)
            );
            if !admin {
                return Err(ApiError::not_authorized());
            }
            // Only live tokens are found: a dead one is as good as revoked.
            if !matches!(find_valid(services, &id).await?, Valid::Token(_)) {
                return Err(ApiError::not_found(msg::TOKEN_NOT_FOUND));
            }
            id
        }
    };
    if !services.store.delete_token(&sha256_hex(&target)).await? {
        return Err(ApiError::not_found(msg::TOKEN_NOT_FOUND));
    }
    tracing::info!(by = caller.user_id(), "token revoked");
    Ok(empty_response(204))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("revoke-token", handle).await
}
