//! `X-Auth-Token` -> the calling user, and "may this caller act on that user?".

use crate::error::{msg, ApiError};
use crate::http::single_header;
use crate::model::{could_be_session_id, now_ms, Account, Token};
use crate::precedence::{check_precedence, Denial};
use crate::runtime::Services;
use crate::secrets::sha256_hex;
use lambda_http::Request;

pub const AUTH_TOKEN_HEADER: &str = "x-auth-token";

/// An authenticated caller: its token and its own account.
#[derive(Debug)]
pub struct Caller {
    pub token: Token,
    pub account: Account,
}

impl Caller {
    pub fn user_id(&self) -> &str {
        &self.account.user.id
    }

    /// Loads the target user and checks the caller's precedence over it (BEHAVIOR.md 1.2-1.3):
    /// unknown user 404, insufficient precedence 403. A self call costs no extra read.
    pub async fn act_on(&self, services: &Services, user_id: &str) -> Result<Account, ApiError> {
        let target = self.load_target(services, user_id).await?;
        self.authorize(&target)?;
        Ok(target)
    }

    /// The target user's account, or 404 `User <id> not found` (for every caller).
    pub async fn load_target(
        &self,
        services: &Services,
        user_id: &str,
    ) -> Result<Account, ApiError> {
        if user_id == self.user_id() {
            return Ok(self.account.clone());
        }
        services.reload_account(user_id).await
    }

    /// 403 `Not Authorized` unless the caller has precedence over the target.
    pub fn authorize(&self, target: &Account) -> Result<(), ApiError> {
        match check_precedence(&self.account.user.principal(), &target.user.principal()) {
            Ok(()) => Ok(()),
            Err(Denial::CallerDisabled) => Err(ApiError::no_token()),
            Err(Denial::NotAuthorized) => Err(ApiError::not_authorized()),
        }
    }
}

/// Missing, unknown, expired or revoked tokens, and tokens of disabled users, are all 401.
pub async fn authenticate(services: &Services, req: &Request) -> Result<Caller, ApiError> {
    let token_id = single_header(req, AUTH_TOKEN_HEADER)
        .map_err(|_| ApiError::no_token())?
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::no_token)?;
    let token_hash = sha256_hex(token_id);
    let Some(token) = services.store.get_token(&token_hash).await? else {
        // A login session id is not a token (DECISIONS.md 4): 403, not 401.
        if could_be_session_id(token_id) && services.store.get_session(&token_hash).await?.is_some()
        {
            return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()));
        }
        return Err(ApiError::no_token());
    };
    let now = now_ms();
    if token.is_expired(now) {
        return Err(ApiError::no_token());
    }
    // A password-only token is checked against its domain's epoch too: read beside the user.
    let (account, domain) = tokio::try_join!(services.store.load_account(&token.user_id), async {
        match token.needs_domain() {
            Some(domain_id) => services.store.get_domain(domain_id).await,
            None => Ok(None),
        }
    })?;
    let account = account.ok_or_else(ApiError::no_token)?;
    let user = &account.user;
    if !user.enabled || !user.accepts(&token, domain.as_ref()) {
        return Err(ApiError::no_token());
    }
    if token.is_setup_mfa() && !setup_token_may(req, &account) {
        return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()));
    }
    Ok(Caller { token, account })
}

/// A SETUP-MFA token serves only its own user's `…/RAX-AUTH/multi-factor…` paths, and only
/// while that user has MFA off (BEHAVIOR.md 1.2 step 2).
fn setup_token_may(req: &Request, account: &Account) -> bool {
    let own = format!("/v2.0/users/{}/RAX-AUTH/multi-factor", account.user.id);
    let path = req.uri().path();
    let on_own_mfa = path == own || path.starts_with(&format!("{own}/"));
    on_own_mfa && !account.user.mfa.enabled
}

/// The prelude of an operation without a body on `…/users/{userId}/…`: authenticate the caller,
/// load the target user, check precedence.
pub async fn authorized_target(
    services: &Services,
    req: &Request,
) -> Result<(Caller, Account), ApiError> {
    let caller = authenticate(services, req).await?;
    let target = caller
        .act_on(services, &crate::http::path_param(req, "userId")?)
        .await?;
    Ok((caller, target))
}
