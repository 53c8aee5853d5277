//! The passcode step (BEHAVIOR.md 7.3-7.4, DECISIONS.md 4, 16): the session, then what the
//! passcode proves (`decide::prove`: the primary factor, then bypass codes); a failure counted
//! exactly, the third one locks; a success completes the login in one transaction. The
//! WebAuthn step (`assertion.rs`) shares the session, the completion and the count.

use crate::attempts::{recorded, why};
use crate::decide::{self, Evidence, USER_NAME};
use crate::issue::{access_response, new_token, Grant};
use crate::{tenant, Asked};
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::error::msg;
use mfa_shared::events::{DeviceKind, EventType, Factor, SecurityEvent, Trail};
use mfa_shared::http::single_header;
use mfa_shared::model::{now_ms, Account, AuthMethod, FactorType, MfaSession, OtpDevice, User};
use mfa_shared::secrets::sha256_hex;
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
    trail: &Trail,
    c: PasscodeCredentials,
    asked: Asked,
) -> Result<Response<Body>, ApiError> {
    no_scope(&asked)?;
    let passcode = c
        .passcode
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    let passcode = passcode.ok_or_else(|| ApiError::bad_request(msg::BAD_AUTH_BODY))?;
    let Opened {
        session_hash,
        session,
        account,
        now,
    } = open(services, req, trail).await?;
    let otp_keys = open_otp_keys(services, &account).await?;
    let evidence = Evidence {
        passcode: &passcode,
        session: &session,
        session_hash: &session_hash,
        pepper: services.pepper().get().await?,
        otp_keys: &otp_keys,
        now_ms: now,
        otp_window: services.config.otp_window_steps,
    };
    let login = Login {
        trail,
        session_hash: &session_hash,
        asked: &asked,
        now,
    };
    match decide::prove(&account, &evidence) {
        Some(proof) => complete(services, &login, &account, proof).await,
        None => Err(count_failure(services, &login, account, "wrong passcode").await),
    }
}

/// The second step takes no scope (a SETUP-MFA token comes from the password step only).
pub fn no_scope(asked: &Asked) -> Result<(), ApiError> {
    match asked.scope {
        Some(_) => Err(ApiError::Forbidden(
            msg::SETUP_SCOPE_NOT_SUPPORTED.to_owned(),
        )),
        None => Ok(()),
    }
}

/// A login session that can take a second factor now, with its user's account.
pub struct Opened {
    pub session_hash: String,
    pub session: MfaSession,
    pub account: Account,
    pub now: i64,
}

/// The session named by `X-SessionId` and its user, if the session can take a second factor
/// (`decide::session_usable`).
/// The session of the passcode step, and its user's account, if the session is usable: a
/// refusal of a live session (its user locked or disabled meanwhile, the session expired) is a
/// refused second factor, recorded as such.
pub async fn open(services: &Services, req: &Request, trail: &Trail) -> Result<Opened, ApiError> {
    // Several values are refused (DECISIONS.md 4), also as API Gateway delivers them: joined
    // by commas into one (a session id never holds a comma).
    let session_id = single_header(req, SESSION_HEADER)
        .ok()
        .flatten()
        .map(str::trim);
    let session_id = session_id.filter(|s| !s.is_empty() && !s.contains(','));
    let session_hash =
        sha256_hex(session_id.ok_or_else(|| ApiError::bad_request(msg::INVALID_SESSION_ID))?);
    let session = find_session(services, &session_hash).await?;
    let account = services.store.load_account(&session.user_id).await?;
    let account = account.ok_or_else(decide::cannot_authenticate)?;
    let (lockout, now) = (services.config.lockout(), now_ms());
    if let Err(refusal) = decide::session_usable(&session, &account, &lockout, now) {
        let event = verify_event(trail, &account.user, None).failed(why(&refusal));
        return Err(recorded(services, event, refusal).await);
    }
    Ok(Opened {
        session_hash,
        session,
        account,
        now,
    })
}

/// The login's one transaction: session used up, proof consumed, count reset, token stored —
/// if the session is unused, the user enabled under the same epoch, MFA on and not locked.
/// The passcode step under way: its trail, session, request and time.
pub struct Login<'a> {
    pub trail: &'a Trail,
    pub session_hash: &'a str,
    pub asked: &'a Asked,
    pub now: i64,
}

/// The second factor's event: `mfa.verify` with the factor that proved it (or was refused),
/// `BYPASS` for a bypass code, and the device for a TOTP code or an assertion.
fn verify_event(trail: &Trail, user: &User, proof: Option<&LoginProof<'_>>) -> SecurityEvent {
    let event = trail.event(EventType::MfaVerify, user);
    match proof {
        Some(LoginProof::Bypass { .. }) => event.with_factor(Factor::Bypass),
        Some(LoginProof::Otp { device_id, .. }) => event
            .with_factor(Factor::Otp)
            .with_device(DeviceKind::Otp, device_id),
        Some(LoginProof::WebAuthn { device_id, .. }) => event
            .with_factor(Factor::WebAuthn)
            .with_device(DeviceKind::WebAuthn, device_id),
        Some(LoginProof::SmsPasscode) | None => event.with_factor(user.factor()),
    }
}

pub async fn complete(
    services: &Services,
    login: &Login<'_>,
    account: &Account,
    proof: LoginProof<'_>,
) -> Result<Response<Body>, ApiError> {
    let (session_hash, asked, now) = (login.session_hash, login.asked, login.now);
    let user = &account.user;
    let method = match (user.factor(), &proof) {
        (FactorType::WebAuthn, LoginProof::WebAuthn { .. }) => AuthMethod::Webauthn,
        // A bypass code in a WebAuthn session is a passcode (WEBAUTHN.md "Login").
        (FactorType::Sms | FactorType::WebAuthn, _) => AuthMethod::Passcode,
        (FactorType::Otp, _) => AuthMethod::Otppasscode,
    };
    let tenant = tenant::scope(services, user, asked.tenant.as_ref()).await?;
    let grant = Grant {
        methods: vec![AuthMethod::Password, method],
        scope: None,
        tenant,
    };
    // With a second factor the domain's epoch does not apply, so the domain is not read.
    let new = new_token(services, user, None, grant);
    let bypass = matches!(proof, LoginProof::Bypass { .. });
    let lockout = services.config.lockout();
    let verified = verify_event(login.trail, user, Some(&proof));
    match services
        .store
        .complete_login(
            session_hash,
            proof,
            (&new.hash, &new.token),
            &lockout,
            now,
            &[verified],
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
            Err(match lockout.is_locked(&fresh.user.mfa, now) {
                true => decide::locked_out(&user.username),
                false => decide::cannot_authenticate().with_header(USER_NAME, &user.username),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Counts the failure on the count as it is at write time (every parallel failure counts);
/// the answer: 401, or 403 for the failure that reaches the threshold (BEHAVIOR.md 7.4).
/// Counts a refused second factor, with its event (and `mfa.lock` when this failure locks).
pub async fn count_failure(
    services: &Services,
    login: &Login<'_>,
    account: Account,
    reason: &str,
) -> ApiError {
    let (lockout, now, trail) = (services.config.lockout(), login.now, login.trail);
    let username = account.user.username.clone();
    let counted = commit::on_account(services, Budget::FailureCount, account, |a| async move {
        let counted = decide::failure(&a, &lockout, now)?;
        let mut events = vec![verify_event(trail, &a.user, None).failed(reason)];
        if lockout.locks(counted) {
            let why = match counted.consecutive >= lockout.permanent_after {
                true => "locked until an authorized unlock",
                false => "lockout threshold reached",
            };
            events.push(trail.event(EventType::MfaLock, &a.user).failed(why));
        }
        let write =
            services
                .store
                .record_passcode_failure(&a.user.id, &a.user.mfa, counted, now, &events);
        Ok(attempt(write.await)?.map(|()| counted))
    });
    match counted.await {
        Ok(counted) => {
            tracing::info!(
                attempts = counted.attempts,
                consecutive = counted.consecutive,
                "passcode refused"
            );
            decide::failure_answer(&username, counted, &lockout)
        }
        Err(fault) => fault,
    }
}

/// The unused session, or 401; a token id sent as a session id is 403 (DECISIONS.md 4).
async fn find_session(services: &Services, session_hash: &str) -> Result<MfaSession, ApiError> {
    match services.store.get_session(session_hash).await? {
        Some(session) if !session.used => Ok(session),
        Some(_) => Err(decide::cannot_authenticate()),
        None if services.store.get_token(session_hash).await?.is_some() => {
            Err(ApiError::Forbidden(msg::SCOPE_NOT_ALLOWED.to_owned()))
        }
        None => Err(decide::cannot_authenticate()),
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
