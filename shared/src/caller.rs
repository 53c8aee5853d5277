//! `X-Auth-Token` -> the calling user, and "may this caller act on that user?".

use crate::error::{msg, ApiError};
use crate::http::single_header;
use crate::model::EnforcementLevel;
use crate::model::{could_be_session_id, now_ms, Account, Token};
use crate::precedence::check_precedence;
use crate::roles::IdentityRole;
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
        Ok(check_precedence(
            &self.account.user.principal(),
            &target.user.principal(),
        )?)
    }
}

/// Missing, unknown, expired or revoked tokens, and tokens of disabled users, are all 401.
pub async fn authenticate(services: &Services, req: &Request) -> Result<Caller, ApiError> {
    let token_id = single_header(req, AUTH_TOKEN_HEADER)
        .map_err(|_| ApiError::no_token())?
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::no_token)?;
    let caller = match find_valid(services, token_id).await? {
        Valid::Token(caller) => *caller,
        // A login session id is not a token (DECISIONS.md 4): 403, not 401.
        Valid::SessionId => return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned())),
        Valid::No => return Err(ApiError::no_token()),
    };
    if caller.token.is_setup_mfa() && !setup_token_may(req, &caller.account) {
        return Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()));
    }
    Ok(caller)
}

/// What a presented token id turned out to be.
pub enum Valid {
    /// A live token of an enabled user: its holder.
    Token(Box<Caller>),
    /// The id of a login session (never a token).
    SessionId,
    /// Unknown, expired, revoked, or its user disabled or gone.
    No,
}

/// Whether `token_id` is a live token, and whose. A token is live until it expires, unless its
/// user is disabled or one of the revocation epochs it was issued under has moved on
/// (`User::accepts`).
pub async fn find_valid(services: &Services, token_id: &str) -> Result<Valid, ApiError> {
    let token_hash = sha256_hex(token_id);
    let Some(token) = services.store.get_token(&token_hash).await? else {
        // Tokens and session ids differ in shape: only a possible session id costs a read.
        let session = could_be_session_id(token_id)
            && services.store.get_session(&token_hash).await?.is_some();
        return Ok(if session { Valid::SessionId } else { Valid::No });
    };
    if token.is_expired(now_ms()) {
        return Ok(Valid::No);
    }
    // A token without a second factor is checked against its domain's epoch too: read beside
    // the user.
    let (account, domain) = tokio::try_join!(services.store.load_account(&token.user_id), async {
        match token.needs_domain() {
            Some(domain_id) => services.store.get_domain(domain_id).await,
            None => Ok(None),
        }
    })?;
    Ok(match account {
        Some(account) if account.user.enabled && account.user.accepts(&token, domain.as_ref()) => {
            Valid::Token(Box::new(Caller { token, account }))
        }
        _ => Valid::No,
    })
}

/// A SETUP-MFA token serves only its own user's `…/RAX-AUTH/multi-factor…` paths, and only
/// while that user has MFA off (BEHAVIOR.md 1.2 step 2); and it may always revoke itself
/// (`DELETE /v2.0/tokens`: signing out).
fn setup_token_may(req: &Request, account: &Account) -> bool {
    let own = format!("/v2.0/users/{}/RAX-AUTH/multi-factor", account.user.id);
    let path = req.uri().path();
    let on_own_mfa = path == own || path.starts_with(&format!("{own}/"));
    let signing_out = req.method() == "DELETE" && path == "/v2.0/tokens";
    (on_own_mfa && !account.user.mfa.enabled) || signing_out
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

/// Who may set a domain's level: admins any; user-admins and user-managers only their own
/// domain (its id matched exactly), and only with MFA on or their own level OPTIONAL.
pub fn authorize_domain(caller: &Caller, domain_id: &str) -> Result<(), ApiError> {
    let user = &caller.account.user;
    let role = user.identity_role().ok_or_else(ApiError::not_authorized)?;
    if role.weight() > IdentityRole::UserManage.weight() {
        return Err(ApiError::not_authorized());
    }
    if role.is_domain_based() {
        // Domain ids match exactly, as they are stored: `corpx` is not `CORPX`.
        if user.domain_id.as_deref() != Some(domain_id) {
            return Err(ApiError::not_authorized());
        }
        if !user.mfa.enabled && user.mfa.enforcement_level != Some(EnforcementLevel::Optional) {
            return Err(ApiError::Forbidden(msg::MFA_NEEDED_FOR_DOMAIN.to_owned()));
        }
    }
    Ok(())
}
