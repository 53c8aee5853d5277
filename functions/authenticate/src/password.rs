//! The password step (BEHAVIOR.md 7.1, 7.6, 7.7).

use crate::issue::{issue_first_factor_token, with_user_name, Grant};
use crate::{lookup, tenant, Asked};
use mfa_shared::error::msg;
use mfa_shared::model::{
    new_session_id, now_ms, Account, AuthMethod, EnforcementLevel, FactorType, MfaSession,
    SmsPurpose, SETUP_MFA_SCOPE,
};
use mfa_shared::secrets::{
    keyed_hash, random_digits, sha256_hex, verify_password_or_dummy, CodePurpose,
};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordCredentials {
    username: String,
    password: String,
}

/// Login passcodes sent by SMS (DECISIONS.md 6).
const PASSCODE_DIGITS: usize = 7;

/// How often the step reads again and decides again when the account or its domain changed
/// between the read and the token's conditional write.
const DECISION_RETRIES: usize = 5;

pub async fn step(
    services: &Services,
    c: PasswordCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    if c.username.trim().is_empty() || c.password.is_empty() || !scope_is_known(&asked) {
        return Err(ApiError::bad_request(msg::BAD_AUTH_BODY));
    }
    let mut account = check_password(services, &c).await?;
    for _ in 0..DECISION_RETRIES {
        if let Some(answer) = decide(services, &account, &asked).await? {
            return Ok(answer);
        }
        account = services.reload_account(&account.user.id).await?;
    }
    Err(ApiError::Unavailable(
        "the account kept changing during the password step".into(),
    ))
}

/// Only `SETUP-MFA` is a scope (anything else: the parse message, DECISIONS.md 12).
pub fn scope_is_known(asked: &Asked) -> bool {
    asked.scope.as_deref().is_none_or(|s| s == SETUP_MFA_SCOPE)
}

/// The answer to a correct password for `account` as read: a token, a challenge or a fault;
/// `None` when the token could not be written because the account or its domain changed.
async fn decide(
    services: &Services,
    account: &Account,
    asked: &Asked,
) -> Result<Option<Response<Body>>, ApiError> {
    let scope = asked.scope.as_deref();
    let user = &account.user;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username.clone()));
    }
    if user.mfa.enabled {
        if scope.is_some() {
            return Err(ApiError::Forbidden(
                msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
            ));
        }
        if services.config.is_locked(&user.mfa, now_ms()) {
            let fault = ApiError::Unauthorized(msg::LOCKED_OUT.to_owned()).into_response();
            return Ok(Some(with_user_name(fault, &user.username)));
        }
        return challenge(services, account).await.map(Some);
    }
    // Read whenever the user has a domain: its level decides, and its epoch goes on the token.
    let domain = match &user.domain_id {
        Some(id) => services.store.get_domain(id).await?,
        None => None,
    };
    let required = EnforcementLevel::requires_mfa(
        user.mfa.enforcement_level,
        domain.as_ref().and_then(|d| d.enforcement_level),
    );
    let scope = match (scope.is_some(), required) {
        (true, true) => Some(SETUP_MFA_SCOPE),
        (true, false) => {
            return Err(ApiError::Forbidden(
                msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
            ))
        }
        (false, true) => return Err(ApiError::Forbidden(msg::MUST_SETUP_MFA.to_owned())),
        (false, false) => None,
    };
    let tenant = tenant::scope(services, user, asked.tenant.as_ref()).await?;
    let grant = Grant {
        methods: vec![AuthMethod::Password],
        scope,
        tenant,
    };
    issue_first_factor_token(services, user, domain.as_ref(), grant).await
}

/// The account whose password this is, or 401 (the same answer, reads and time for an
/// unknown user).
async fn check_password(services: &Services, c: &PasswordCredentials) -> Result<Account, ApiError> {
    let account = lookup::find_account(services, &c.username).await?;
    if verify_password_or_dummy(
        &c.password,
        account.as_ref().map(|a| a.user.password_hash.as_str()),
    ) {
        if let Some(account) = account {
            return Ok(account);
        }
    }
    tracing::info!("password authentication failed");
    Err(ApiError::Unauthorized(msg::BAD_CREDENTIALS.to_owned()))
}

/// 401 with `WWW-Authenticate: OS-MF sessionId='…', factor='…'`; for SMS users the passcode is
/// texted now (within the user's hourly budget).
async fn challenge(services: &Services, account: &Account) -> Result<Response<Body>, ApiError> {
    let user = &account.user;
    let config = &services.config;
    let factor = user.factor();
    // Fetched before anything is spent or written: a Secrets Manager outage leaves no trace.
    let pepper = services.pepper().get().await?;
    let session_id = new_session_id();
    let session_hash = sha256_hex(&session_id);
    let now = now_ms();
    let sms = match factor {
        FactorType::Otp => None,
        FactorType::Sms => {
            let phone = account.verified_phone().ok_or_else(|| {
                ApiError::Internal(format!(
                    "user {} has SMS MFA but no verified phone",
                    user.id
                ))
            })?;
            spend_login_sms(services, account, now).await?;
            Some((phone.number.clone(), random_digits(PASSCODE_DIGITS)))
        }
    };
    let expires_at_ms = now + config.session_ttl.as_millis() as i64;
    let session = MfaSession {
        user_id: user.id.clone(),
        factor,
        passcode_hash: sms
            .as_ref()
            .map(|(_, code)| keyed_hash(pepper, CodePurpose::LoginPasscode, &session_hash, code)),
        created_at: now,
        expires_at_ms,
        expires_at: expires_at_ms / 1000 + 1,
        used: false,
        epoch: user.token_epoch,
    };
    services.store.put_session(&session_hash, &session).await?;
    if let Some((number, code)) = &sms {
        if let Err(e) = services
            .sms()
            .send(number, &config.login_sms_text(code))
            .await
        {
            tracing::error!(user_id = user.id, error = %e, "login SMS not sent; session removed");
            services.store.delete_session(&session_hash).await?;
            return Err(e.into());
        }
    }
    tracing::info!(
        user_id = user.id,
        factor = factor.name(),
        "second factor requested"
    );
    let factor_name = match factor {
        FactorType::Sms => "PASSCODE",
        FactorType::Otp => "OTPPASSCODE",
    };
    let mut resp = ApiError::Unauthorized(msg::ADDITIONAL_CREDENTIALS.to_owned()).into_response();
    let header = format!("OS-MF sessionId='{session_id}', factor='{factor_name}'");
    resp.headers_mut().insert(
        "www-authenticate",
        header
            .parse()
            .map_err(|_| ApiError::Internal("session header".into()))?,
    );
    Ok(with_user_name(resp, &user.username))
}

/// Spends one login SMS against the user's and the domain's hourly budgets, or 429 (no SMS is
/// sent then). A concurrent login or send that spent first makes the write fail: plan again.
async fn spend_login_sms(services: &Services, account: &Account, now: i64) -> Result<(), ApiError> {
    let mut account = std::borrow::Cow::Borrowed(account);
    for _ in 0..DECISION_RETRIES {
        let spend = services.plan_sms(&account, SmsPurpose::Login, now).await?;
        match services.store.record_sms(&account.user.id, &spend).await {
            Ok(()) => return Ok(()),
            Err(StoreError::Conflict) => {
                account = std::borrow::Cow::Owned(services.reload_account(&account.user.id).await?)
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "login SMS budget kept changing under concurrent requests".into(),
    ))
}
