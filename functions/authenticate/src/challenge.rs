//! The MFA challenge of the password step (BEHAVIOR.md 7.1-7.2, DECISIONS.md 4, 6): a login
//! session, for SMS users a passcode texted within the SMS budgets, for WebAuthn users request
//! options bound to the session (WEBAUTHN.md "Login"), and the 401 naming them.

use crate::decide::USER_NAME;
use mfa_shared::commit::{self, attempt, Attempt, Budget};
use mfa_shared::error::msg;
use mfa_shared::events::{DeviceKind, EventType, SecurityEvent, Trail};
use mfa_shared::model::{
    new_session_id, now_ms, Account, Expiry, FactorType, MfaSession, SmsPurpose, SmsSpend,
};
use mfa_shared::secrets::{keyed_hash, random_digits, sha256_hex, CodePurpose};
use mfa_shared::webauthn::{AssertionOptions, RelyingParty};
use mfa_shared::{ApiError, Services};
use serde_json::json;

/// Login passcodes sent by SMS (DECISIONS.md 6).
const PASSCODE_DIGITS: usize = 7;

/// Always an error: 401 with `WWW-Authenticate: OS-MF sessionId='…', factor='…'` and
/// `X-User-Name`, or what stopped the challenge (a spent SMS budget: 429, no SMS, no session).
/// The password's event (`first`) is recorded with the challenge's, or with the refusal's.
pub async fn challenge(
    services: &Services,
    trail: &Trail,
    account: Account,
    first: SecurityEvent,
) -> ApiError {
    match session(services, trail, account, first).await {
        Ok(challenge) | Err(challenge) => challenge,
    }
}

async fn session(
    services: &Services,
    trail: &Trail,
    account: Account,
    first: SecurityEvent,
) -> Result<ApiError, ApiError> {
    let factor = account.user.factor();
    // Fetched before anything is spent or written: a Secrets Manager outage leaves no trace.
    let pepper = services.pepper().get().await?;
    let (session_id, now) = (new_session_id(), now_ms());
    let session_hash = sha256_hex(&session_id);
    let sms = match factor {
        FactorType::Otp | FactorType::WebAuthn => None,
        FactorType::Sms => {
            let number = account
                .verified_phone()
                .map(|p| p.number.clone())
                .ok_or_else(|| {
                    ApiError::Internal("a user with SMS MFA has no verified phone".into())
                })?;
            Some((number, random_digits(PASSCODE_DIGITS)))
        }
    };
    let user = &account.user;
    let expiry = Expiry::after(now, services.config.session_ttl);
    let webauthn = match factor {
        FactorType::WebAuthn => Some(AssertionOptions::new(
            &RelyingParty::new(&services.config.webauthn)?,
            account.verified_webauthn_devices(),
            expiry.ms() - now,
        )?),
        FactorType::Sms | FactorType::Otp => None,
    };
    let session = MfaSession {
        user_id: user.id.clone(),
        factor,
        passcode_hash: sms
            .as_ref()
            .map(|(_, code)| keyed_hash(pepper, CodePurpose::LoginPasscode, &session_hash, code)),
        assertion: webauthn.as_ref().map(|w| w.state.clone()),
        created_at: now,
        expires_at_ms: expiry.ms(),
        expires_at: expiry.ttl_secs(),
        used: false,
        epoch: user.token_epoch,
    };
    let events = [
        first,
        trail
            .event(EventType::MfaChallenge, user)
            .with_factor(factor),
    ];
    match sms {
        // The SMS budgets and the session in one write: nothing spent without a session.
        Some(_) => {
            let login = (&account, session_hash.as_str(), &session);
            spend_login_sms(services, trail, login, &events, now).await?
        }
        None => {
            let store = &services.store;
            store.put_session(&session_hash, &session, &events).await?
        }
    }
    if let Some((number, code)) = &sms {
        let text = services.config.login_sms_text(code);
        if let Err(e) = services.sms().send(number, &text).await {
            tracing::error!(user_id = user.id, error = %e, "login SMS not sent; session removed");
            let unsent = trail
                .event(EventType::MfaChallenge, user)
                .with_factor(factor)
                .failed("SMS not sent");
            services
                .store
                .delete_session(&session_hash, &[unsent])
                .await?;
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
        FactorType::WebAuthn => "WEBAUTHN",
    };
    let mut fault = ApiError::Unauthorized(msg::ADDITIONAL_CREDENTIALS.to_owned());
    if let Some(options) = webauthn {
        let options = json!({ "publicKey": options.public_key });
        fault = fault.with_member("RAX-AUTH:webAuthnOptions", options);
    }
    Ok(fault
        .with_header(
            "www-authenticate",
            format!("OS-MF sessionId='{session_id}', factor='{factor_name}'"),
        )
        .with_header(USER_NAME, &user.username))
}

/// Spends one login SMS against the user's and the domain's hourly budgets and writes the
/// session with it and the login's `events`, or 429 (no SMS is sent, no session written; the
/// password's event is recorded with the refusal's). A concurrent login or send that spent
/// first makes the write fail: plan again.
async fn spend_login_sms(
    services: &Services,
    trail: &Trail,
    (account, session_hash, session): (&Account, &str, &MfaSession),
    events: &[SecurityEvent; 2],
    now: i64,
) -> Result<(), ApiError> {
    let account = account.clone();
    commit::on_account(services, Budget::Login, account, |account| async move {
        let hour = services.domain_sms_hour(&account, now).await?;
        let limits = services.config.sms_limits();
        let store = &services.store;
        let spend = match SmsSpend::plan(SmsPurpose::Login, &account, hour, &limits, now) {
            Ok(spend) => spend,
            Err(refused) => {
                let mut refusal = trail
                    .event(EventType::SmsRefused, &account.user)
                    .with_factor(FactorType::Sms)
                    .failed(refused.budget());
                if let Some(phone) = account.verified_phone() {
                    refusal = refusal.with_device(DeviceKind::Phone, &phone.id);
                }
                store.record_events(&[events[0].clone(), refusal]).await?;
                return Err(refused.into());
            }
        };
        let written =
            store.spend_sms_for_session(&account.user.id, &spend, session_hash, session, events);
        let recorded: Attempt<()> = attempt(written.await)?;
        Ok(recorded)
    })
    .await
}
