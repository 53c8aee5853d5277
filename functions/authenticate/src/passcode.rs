//! The passcode step (BEHAVIOR.md 7.3-7.4, DECISIONS.md 4, 16): the session, then the primary
//! factor, then bypass codes; failures counted exactly, the third one locks.

use crate::issue::{access_response, new_token, with_user_name, Grant};
use crate::{tenant, Asked};
use mfa_shared::error::msg;
use mfa_shared::http::single_header;
use mfa_shared::model::{now_ms, Account, AuthMethod, FactorType, MfaSession, OtpDevice};
use mfa_shared::secrets::totp::match_totp;
use mfa_shared::secrets::{constant_time_eq, keyed_hash, sha256_hex, CodePurpose};
use mfa_shared::store::{LoginProof, StoreError};
use mfa_shared::{ApiError, Body, Request, Response, Services};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasscodeCredentials {
    passcode: Option<String>,
}

const SESSION_HEADER: &str = "x-sessionid";

pub async fn step(
    services: &Services,
    req: &Request,
    c: PasscodeCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    if asked.scope.is_some() {
        return Err(ApiError::Forbidden(
            msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
        ));
    }
    let passcode = c
        .passcode
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    // Several values are refused (DECISIONS.md 4), also as API Gateway delivers them: joined
    // by commas into one (a session id never holds a comma).
    let session_id = single_header(req, SESSION_HEADER)
        .ok()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains(','))
        .ok_or_else(|| ApiError::bad_request(msg::INVALID_SESSION_ID))?;
    let session_hash = sha256_hex(session_id);
    let session = find_session(services, &session_hash).await?;
    let now = now_ms();
    if now >= session.expires_at_ms {
        return Err(ApiError::Unauthorized(msg::SESSION_EXPIRED.to_owned()));
    }
    let account = services
        .store
        .load_account(&session.user_id)
        .await?
        .ok_or_else(cannot_authenticate)?;
    let user = &account.user;
    if !user.enabled {
        return Err(ApiError::UserDisabled(user.username.clone()));
    }
    // Disabling a user revokes its sessions too (DECISIONS.md 13).
    if session.epoch != user.token_epoch || session.created_at < user.tokens_valid_after {
        return Err(cannot_authenticate());
    }
    let usable = match user.factor() {
        FactorType::Sms => account.verified_phone().is_some(),
        FactorType::Otp => account.verified_otp_devices().next().is_some(),
    };
    if !user.mfa.enabled || !usable {
        return Err(ApiError::bad_request(msg::UNKNOWN_CREDENTIAL));
    }
    let config = &services.config;
    if config.is_locked(&user.mfa, now) {
        return Ok(with_user_name(locked_out(), &user.username));
    }
    let otp_keys = open_otp_keys(services, &account).await?;
    let Some(proof) = prove(
        services,
        services.pepper().get().await?,
        &account,
        &otp_keys,
        &session,
        &session_hash,
        &passcode,
        now,
    ) else {
        return count_failure(services, account, now).await;
    };
    let method = match user.factor() {
        FactorType::Sms => AuthMethod::Passcode,
        FactorType::Otp => AuthMethod::Otppasscode,
    };
    let tenant = tenant::scope(services, user, asked.tenant.as_ref()).await?;
    // With a second factor the domain's epoch does not apply, so the domain is not read.
    let grant = Grant {
        methods: vec![AuthMethod::Password, method],
        scope: None,
        tenant,
    };
    let new = new_token(services, user, None, grant);
    let release_cutoff = now - config.lockout_release.as_millis() as i64;
    let bypass = matches!(proof, LoginProof::Bypass { .. });
    match services
        .store
        .complete_login(
            &session_hash,
            &user.id,
            proof,
            &new.hash,
            &new.token,
            config.lockout_threshold,
            release_cutoff,
        )
        .await
    {
        Ok(()) => {
            tracing::info!(
                user_id = user.id,
                bypass,
                "second factor accepted; token issued"
            );
            access_response(services, &new, user).await
        }
        // The session was used, the code consumed, or the user locked by a concurrent request.
        Err(StoreError::Conflict) => {
            let fresh = services.reload_account(&user.id).await?;
            let fault = if config.is_locked(&fresh.user.mfa, now) {
                locked_out()
            } else {
                cannot_authenticate().into_response()
            };
            Ok(with_user_name(fault, &user.username))
        }
        Err(e) => Err(e.into()),
    }
}

fn cannot_authenticate() -> ApiError {
    ApiError::Unauthorized(msg::CANNOT_AUTHENTICATE.to_owned())
}

fn locked_out() -> Response<Body> {
    ApiError::Forbidden(msg::LOCKED_OUT.to_owned()).into_response()
}

/// The unused session, or 401; a token id sent as a session id is 403 (DECISIONS.md 4).
async fn find_session(services: &Services, session_hash: &str) -> Result<MfaSession, ApiError> {
    match services.store.get_session(session_hash).await? {
        Some(session) if !session.used => Ok(session),
        Some(_) => Err(cannot_authenticate()),
        None if services.store.get_token(session_hash).await?.is_some() => {
            Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()))
        }
        None => Err(cannot_authenticate()),
    }
}

/// The TOTP keys of the user's verified devices, unsealed — only when OTP is the factor.
async fn open_otp_keys(services: &Services, account: &Account) -> Result<Vec<Vec<u8>>, ApiError> {
    let mut keys = Vec::new();
    if account.user.factor() == FactorType::Otp {
        for device in account.verified_otp_devices() {
            let context = OtpDevice::seal_context(&account.user.id, &device.id);
            keys.push(services.sealer().open(&device.secret, &context).await?);
        }
    }
    Ok(keys)
}

/// What the passcode proves: the primary factor first, then a bypass code (BEHAVIOR.md 6).
#[allow(clippy::too_many_arguments)]
fn prove<'a>(
    services: &Services,
    pepper: &[u8],
    account: &'a Account,
    otp_keys: &[Vec<u8>],
    session: &MfaSession,
    session_hash: &str,
    passcode: &str,
    now: i64,
) -> Option<LoginProof<'a>> {
    let config = &services.config;
    let primary = match account.user.factor() {
        FactorType::Sms => session.passcode_hash.as_ref().and_then(|stored| {
            let submitted = keyed_hash(pepper, CodePurpose::LoginPasscode, session_hash, passcode);
            (session.factor == FactorType::Sms && constant_time_eq(stored, &submitted))
                .then_some(LoginProof::SmsPasscode)
        }),
        FactorType::Otp => {
            account
                .verified_otp_devices()
                .zip(otp_keys)
                .find_map(|(device, key)| {
                    match_totp(
                        key,
                        passcode,
                        now / 1000,
                        config.otp_window_steps,
                        device.last_step,
                    )
                    .map(|step| LoginProof::Otp {
                        device_id: &device.id,
                        step,
                    })
                })
        }
    };
    primary.or_else(|| {
        let submitted = keyed_hash(pepper, CodePurpose::BypassCode, &account.user.id, passcode);
        account
            .bypass_codes
            .iter()
            .find(|code| code.expires_at_ms > now && constant_time_eq(&code.hash, &submitted))
            .map(|code| LoginProof::Bypass { hash: &code.hash })
    })
}

/// Counts the failure on the count as it is at write time; the failure that reaches the
/// threshold is already answered 403 (BEHAVIOR.md 7.4).
async fn count_failure(
    services: &Services,
    mut account: Account,
    now: i64,
) -> Result<Response<Body>, ApiError> {
    let config = &services.config;
    let release_ms = config.lockout_release.as_millis() as i64;
    let username = account.user.username.clone();
    for _ in 0..10 {
        let mfa = &account.user.mfa;
        if config.is_locked(mfa, now) {
            return Ok(with_user_name(locked_out(), &username));
        }
        let recent = mfa.last_failed_at.is_some_and(|t| now <= t + release_ms);
        let attempts = if recent { mfa.failed_attempts + 1 } else { 1 };
        match services
            .store
            .record_passcode_failure(&account.user.id, mfa, attempts, now)
            .await
        {
            Ok(()) => {
                tracing::info!(user_id = account.user.id, attempts, "passcode refused");
                let fault = if attempts >= config.lockout_threshold {
                    locked_out()
                } else {
                    cannot_authenticate().into_response()
                };
                return Ok(with_user_name(fault, &username));
            }
            Err(StoreError::Conflict) => {
                account = services.reload_account(&account.user.id).await?
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "failure count kept changing under concurrent requests".into(),
    ))
}
