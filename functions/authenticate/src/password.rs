//! The password step (BEHAVIOR.md 7.1, 7.6, 7.7).

use crate::issue::{issue, with_user_name};
use mfa_shared::error::msg;
use mfa_shared::model::{
    new_session_id, now_ms, Account, AuthMethod, EnforcementLevel, FactorType, MfaSession, SendLog,
    SETUP_MFA_SCOPE,
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
/// The send log that budgets login SMS per user.
const LOGIN_SMS_LOG: &str = "login";

pub async fn step(
    services: &Services,
    c: PasswordCredentials,
    scope: Option<String>,
) -> Result<Response<Body>, ApiError> {
    if c.username.trim().is_empty()
        || c.password.is_empty()
        || scope.as_deref().is_some_and(|s| s != SETUP_MFA_SCOPE)
    {
        return Err(ApiError::bad_request(msg::BAD_AUTH_BODY));
    }
    let account = check_password(services, &c).await?;
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
            return Ok(with_user_name(fault, &user.username));
        }
        return challenge(services, &account).await;
    }
    let required = EnforcementLevel::requires_mfa(
        user.mfa.enforcement_level,
        domain_level(services, &account).await?,
    );
    match (scope.is_some(), required) {
        (true, true) => {
            issue(
                services,
                user,
                vec![AuthMethod::Password],
                Some(SETUP_MFA_SCOPE),
            )
            .await
        }
        (true, false) => Err(ApiError::Forbidden(
            msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
        )),
        (false, true) => Err(ApiError::Forbidden(msg::MUST_SETUP_MFA.to_owned())),
        (false, false) => issue(services, user, vec![AuthMethod::Password], None).await,
    }
}

/// The domain's level, read only when the user's own level defers to it.
async fn domain_level(
    services: &Services,
    account: &Account,
) -> Result<Option<EnforcementLevel>, ApiError> {
    let user = &account.user;
    let defers = matches!(
        user.mfa.enforcement_level,
        None | Some(EnforcementLevel::Default)
    );
    match (&user.domain_id, defers) {
        (Some(domain), true) => Ok(services
            .store
            .get_domain(domain)
            .await?
            .and_then(|d| d.enforcement_level)),
        _ => Ok(None),
    }
}

/// The account whose password this is, or 401 (the same answer, and time, for an unknown user).
async fn check_password(services: &Services, c: &PasswordCredentials) -> Result<Account, ApiError> {
    let account = match services.store.find_user_id(c.username.trim()).await? {
        Some(id) => services.store.load_account(&id).await?,
        None => None,
    };
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

/// Counts one login SMS against the user's hourly budget, or 429 (no SMS is sent then).
async fn spend_login_sms(services: &Services, account: &Account, now: i64) -> Result<(), ApiError> {
    let max = services.config.login_sms_max_per_hour;
    let mut log: SendLog = account.send_log(LOGIN_SMS_LOG);
    for _ in 0..5 {
        log.check(now, 0, max)
            .map_err(|refused| ApiError::OverLimit {
                message: msg::TOO_MANY_LOGIN_SMS.to_owned(),
                retry_after_secs: refused.retry_after_secs,
            })?;
        match services
            .store
            .record_send(&account.user.id, &log, &log.with_send(now))
            .await
        {
            Ok(()) => return Ok(()),
            // A concurrent login counted first: count again on fresh data.
            Err(StoreError::Conflict) => {
                log = services
                    .reload_account(&account.user.id)
                    .await?
                    .send_log(LOGIN_SMS_LOG)
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "login SMS budget kept changing under concurrent requests".into(),
    ))
}
