//! Token login (`{"auth":{"token":{"id":…},"tenantId":…}}`): a live token re-scoped to a
//! tenant. The new token keeps how its holder authenticated, its expiry and the revocation
//! epochs of the original, so it lives no longer than the original would.

use crate::issue::{access_response, rescoped};
use crate::{tenant, Asked};
use mfa_shared::caller::{find_valid, Valid};
use mfa_shared::error::msg;
use mfa_shared::{ApiError, Body, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenCredentials {
    id: String,
}

pub async fn login(
    services: &Services,
    c: TokenCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    if c.id.trim().is_empty() {
        return Err(ApiError::bad_request(msg::BAD_AUTH_BODY));
    }
    // BEHAVIOR.md 7.7: no SETUP-MFA scope from a token.
    if asked.scope.is_some() {
        return Err(ApiError::Forbidden(
            msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
        ));
    }
    let Valid::Token(holder) = find_valid(services, c.id.trim()).await? else {
        return Err(ApiError::Unauthorized(
            msg::TOKEN_NOT_AUTHENTICATED.to_owned(),
        ));
    };
    // A SETUP-MFA token serves its own MFA paths only: it is not a way to another token.
    if holder.token.is_setup_mfa() {
        return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()));
    }
    let user = &holder.account.user;
    let tenant = tenant::scope(services, user, asked.tenant.as_ref()).await?;
    let new = rescoped(&holder.token, tenant);
    services.store.put_token(&new.hash, &new.token).await?;
    tracing::info!(user_id = user.id, "token issued for a token");
    access_response(services, &new, user).await
}
