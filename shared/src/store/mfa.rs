//! Turning MFA on and off, locking and unlocking, bypass codes, and completing a login.
//! Each change is one conditional write or transaction on the state that was read.

use super::accounts::put_if_absent;
use super::client::{built, delete_existing, delete_item, n, s, to_item, update, DynamoStore};
use super::keys::{self, attr, PROFILE, SESSION, TOKEN};
use super::tokens::unchanged;
use super::StoreError;
use crate::events::SecurityEvent;
use crate::model::{
    Account, BypassCode, Counted, EnforcementLevel, FactorType, Lockout, MfaSettings, Token,
};
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem, Update};

/// What proved the second factor; consumed in the login's transaction.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginProof<'a> {
    /// The SMS passcode of the session (consumed with the session).
    SmsPasscode,
    /// A TOTP code of this device at this step (the step becomes the device's last).
    Otp { device_id: &'a str, step: i64 },
    /// A bypass code (deleted: single use).
    Bypass { hash: &'a str },
    /// An assertion of this WebAuthn device, whose counter was `seen` and is now `sign_count`
    /// (written only if still `seen`: two assertions checked against one counter cannot both
    /// pass).
    WebAuthn {
        device_id: &'a str,
        seen: u32,
        sign_count: u32,
    },
}

/// Deletes of every item of the user's partition with these sort keys.
fn delete_all(
    table: &str,
    user_id: &str,
    sort_keys: impl IntoIterator<Item = String>,
) -> Result<Vec<TransactWriteItem>, StoreError> {
    sort_keys
        .into_iter()
        .map(|sk| delete_item(table, keys::user_pk(user_id), &sk))
        .collect()
}

fn bypass_keys(account: &Account) -> impl Iterator<Item = String> + '_ {
    account
        .bypass_codes
        .iter()
        .map(|c| keys::bypass_sk(&c.hash))
}

/// Holds while no bypass codes were generated since `account` was read.
const BYPASS_UNCHANGED: &str =
    "(attribute_not_exists(#bypassVersion) OR #bypassVersion = :seenBypassVersion)";

fn with_bypass_unchanged(item: UpdateBuilder, account: &Account) -> UpdateBuilder {
    item.expression_attribute_names("#bypassVersion", attr::BYPASS_VERSION)
        .expression_attribute_values(":seenBypassVersion", n(account.user.bypass_version))
}

impl DynamoStore {
    fn profile_update(&self, user_id: &str) -> UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(user_id), PROFILE)))
            .expression_attribute_names("#mfa", attr::MFA)
    }

    /// Turns MFA on with `factor`, or switches the factor. `device_id` names the verified
    /// phone or OTP device that allows it (checked at write time). Turning it on from off also
    /// revokes the user's password-only tokens (a new password-token epoch).
    pub async fn enable_mfa(
        &self,
        account: &Account,
        factor: FactorType,
        device_id: &str,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let user = &account.user;
        let device_sk = match factor {
            FactorType::Sms => keys::phone_sk(device_id),
            FactorType::Otp => keys::otp_sk(device_id),
            FactorType::WebAuthn => keys::webauthn_sk(device_id),
        };
        let was_on = user.mfa.enabled;
        let mut profile = self
            .profile_update(&user.id)
            .condition_expression("#mfa.#enabled = :was")
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_names("#factor", attr::FACTOR_TYPE)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":was", AttributeValue::Bool(was_on))
            .expression_attribute_values(":factor", s(factor.name()));
        profile = if was_on {
            profile.update_expression("SET #mfa.#enabled = :true, #mfa.#factor = :factor")
        } else {
            profile
                .update_expression(
                    "SET #mfa.#enabled = :true, #mfa.#factor = :factor, #epoch = if_not_exists(#epoch, :zero) + :one",
                )
                .expression_attribute_names("#epoch", attr::PASSWORD_TOKEN_EPOCH)
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
        };
        let device = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::user_pk(&user.id), &device_sk)))
            .condition_expression("#verified = :true")
            .expression_attribute_names("#verified", attr::VERIFIED)
            .expression_attribute_values(":true", AttributeValue::Bool(true));
        self.transact(
            events,
            vec![
                update(profile)?,
                TransactWriteItem::builder()
                    .condition_check(built(device.build())?)
                    .build(),
            ],
        )
        .await
    }

    /// Turns MFA off: factor and failure count cleared, bypass codes deleted (DECISIONS.md).
    pub async fn disable_mfa(
        &self,
        account: &Account,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let user_id = &account.user.id;
        let profile = self
            .profile_update(user_id)
            .update_expression(
                "SET #mfa.#enabled = :false, #mfa.#failed = :zero, #mfa.#consecutive = :zero REMOVE #mfa.#factor, #mfa.#last",
            )
            .condition_expression(format!("#mfa.#enabled = :true AND {BYPASS_UNCHANGED}"))
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_names("#failed", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#consecutive", attr::CONSECUTIVE_FAILURES)
            .expression_attribute_names("#factor", attr::FACTOR_TYPE)
            .expression_attribute_names("#last", attr::LAST_FAILED_AT)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":zero", n(0));
        let mut items = vec![update(with_bypass_unchanged(profile, account))?];
        items.extend(delete_all(&self.table, user_id, bypass_keys(account))?);
        self.transact(events, items).await
    }

    /// Clears the failure counts, a lock for good included (works whether or not MFA is on).
    pub async fn unlock_mfa(
        &self,
        user_id: &str,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let profile = self
            .profile_update(user_id)
            .update_expression(
                "SET #mfa.#failed = :zero, #mfa.#consecutive = :zero REMOVE #mfa.#last",
            )
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#failed", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#consecutive", attr::CONSECUTIVE_FAILURES)
            .expression_attribute_names("#last", attr::LAST_FAILED_AT)
            .expression_attribute_values(":zero", n(0));
        self.transact(events, vec![update(profile)?]).await
    }

    pub async fn set_user_enforcement_level(
        &self,
        user_id: &str,
        level: EnforcementLevel,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let profile = self
            .profile_update(user_id)
            .update_expression("SET #mfa.#level = :level")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#level", attr::ENFORCEMENT_LEVEL)
            .expression_attribute_values(":level", s(level.name()));
        self.transact(events, vec![update(profile)?]).await
    }

    /// Counts a failed passcode: `counted` and `now` become the new counts and last failure,
    /// if the counts are still the ones read (`Conflict` otherwise: read again and recount, so
    /// that concurrent failures are all counted; every failure grows the consecutive count, so
    /// its condition orders them all).
    pub async fn record_passcode_failure(
        &self,
        user_id: &str,
        seen: &MfaSettings,
        counted: Counted,
        now_ms: i64,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let consecutive_seen = match seen.consecutive_failures {
            0 => {
                "(attribute_not_exists(#mfa.#consecutive) OR #mfa.#consecutive = :seenConsecutive)"
            }
            _ => "#mfa.#consecutive = :seenConsecutive",
        };
        let profile = self
            .profile_update(user_id)
            .update_expression(
                "SET #mfa.#failed = :attempts, #mfa.#consecutive = :consecutive, #mfa.#last = :now",
            )
            .condition_expression(format!("#mfa.#failed = :seen AND {consecutive_seen}"))
            .expression_attribute_names("#failed", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#consecutive", attr::CONSECUTIVE_FAILURES)
            .expression_attribute_names("#last", attr::LAST_FAILED_AT)
            .expression_attribute_values(":attempts", n(counted.attempts))
            .expression_attribute_values(":consecutive", n(counted.consecutive))
            .expression_attribute_values(":now", n(now_ms))
            .expression_attribute_values(":seen", n(seen.failed_attempts))
            .expression_attribute_values(":seenConsecutive", n(seen.consecutive_failures));
        self.transact(events, vec![update(profile)?]).await
    }

    /// Removes MFA from the user (BEHAVIOR.md 2.15): off, no factor, the phone and every OTP
    /// and WebAuthn device (with its credential id's reservation) and bypass code deleted; the
    /// failure count and the WebAuthn user handle are kept (DECISIONS.md 23, WEBAUTHN.md).
    /// Fails with `Conflict` if a device was added or removed meanwhile.
    pub async fn remove_mfa(
        &self,
        account: &Account,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let user = &account.user;
        let profile = self
            .profile_update(&user.id)
            .update_expression(
                "SET #mfa.#enabled = :false, #count = :zero, #verifiedCount = :zero, #keyCount = :zero, #verifiedKeyCount = :zero REMOVE #mfa.#factor, #phoneId",
            )
            .condition_expression(
                format!("attribute_exists(PK) AND (attribute_not_exists(#count) OR #count = :seenCount) AND (attribute_not_exists(#keyCount) OR #keyCount = :seenKeyCount) AND (attribute_not_exists(#phoneId) OR #phoneId = :seenPhone) AND {BYPASS_UNCHANGED}"),
            )
            .expression_attribute_names("#keyCount", attr::WEBAUTHN_DEVICE_COUNT)
            .expression_attribute_names("#verifiedKeyCount", attr::VERIFIED_WEBAUTHN_COUNT)
            .expression_attribute_values(":seenKeyCount", n(account.webauthn_devices.len()))
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_names("#factor", attr::FACTOR_TYPE)
            .expression_attribute_names("#count", attr::OTP_DEVICE_COUNT)
            .expression_attribute_names("#verifiedCount", attr::VERIFIED_OTP_COUNT)
            .expression_attribute_names("#phoneId", attr::PHONE_ID)
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":seenCount", n(account.otp_devices.len()))
            .expression_attribute_values(":seenPhone", s(user.phone_id.clone().unwrap_or_default()));
        let phone = account.phone.iter().map(|p| keys::phone_sk(&p.id));
        let devices = account.otp_devices.iter().map(|d| keys::otp_sk(&d.id));
        let keys_ = account
            .webauthn_devices
            .iter()
            .map(|d| keys::webauthn_sk(&d.id));
        let mut items = vec![update(with_bypass_unchanged(profile, account))?];
        items.extend(delete_all(
            &self.table,
            &user.id,
            phone
                .chain(devices)
                .chain(keys_)
                .chain(bypass_keys(account)),
        )?);
        for device in &account.webauthn_devices {
            if let Some(id) = &device.credential_id {
                items.push(self.release_credential_id(id, &user.id)?);
            }
        }
        self.transact(events, items).await
    }

    /// Replaces every bypass code of the user with `new`, while MFA is on.
    pub async fn replace_bypass_codes(
        &self,
        account: &Account,
        new: &[BypassCode],
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let user_id = &account.user.id;
        let pk = keys::user_pk(user_id);
        // MFA on, and no other batch generated since `account` was read (else `Conflict`).
        let bump = self
            .profile_update(user_id)
            .update_expression("SET #bypassVersion = :next")
            .condition_expression(format!("#mfa.#enabled = :true AND {BYPASS_UNCHANGED}"))
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":next", n(account.user.bypass_version + 1));
        let mut items = vec![update(with_bypass_unchanged(bump, account))?];
        items.extend(delete_all(&self.table, user_id, bypass_keys(account))?);
        for code in new {
            items.push(put_if_absent(
                &self.table,
                to_item(code, pk.clone(), &keys::bypass_sk(&code.hash))?,
            )?);
        }
        self.transact(events, items).await
    }

    /// The successful passcode step, all or nothing: the session is used up, the proof
    /// consumed, the failure count reset, the token stored — provided the session was unused,
    /// the user still enabled under the token's epoch (not disabled meanwhile), MFA still on
    /// and the user not locked at `now` (`lockout`). `token` is the new token's hash and item.
    pub async fn complete_login(
        &self,
        session_hash: &str,
        proof: LoginProof<'_>,
        (token_hash, token): (&str, &Token),
        lockout: &Lockout,
        now: i64,
        events: &[SecurityEvent],
    ) -> Result<(), StoreError> {
        let user_id = &token.user_id;
        let threshold = lockout.threshold;
        let release_cutoff_ms = lockout.release_cutoff(now);
        let pk = keys::user_pk(user_id);
        let session = Update::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::session_pk(session_hash), SESSION)))
            .update_expression("SET #used = :true")
            .condition_expression("attribute_exists(PK) AND #used = :false")
            .expression_attribute_names("#used", attr::USED)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false));
        let profile = self
            .profile_update(user_id)
            .update_expression("SET #mfa.#failed = :zero, #mfa.#consecutive = :zero REMOVE #mfa.#last")
            .condition_expression(format!(
                "#enabled = :true AND #mfa.#enabled = :true AND {} AND (#mfa.#failed < :threshold OR attribute_not_exists(#mfa.#last) OR #mfa.#last < :cutoff) AND (attribute_not_exists(#mfa.#consecutive) OR #mfa.#consecutive < :forGood)",
                unchanged("tokenEpoch"),
            ))
            .expression_attribute_names("#consecutive", attr::CONSECUTIVE_FAILURES)
            .expression_attribute_values(":forGood", n(lockout.permanent_after))
            .expression_attribute_names("#enabled", attr::ENABLED)
            .expression_attribute_names("#tokenEpoch", attr::TOKEN_EPOCH)
            .expression_attribute_values(":tokenEpoch", n(token.epoch))
            .expression_attribute_names("#failed", attr::FAILED_ATTEMPTS)
            .expression_attribute_names("#last", attr::LAST_FAILED_AT)
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":threshold", n(threshold))
            .expression_attribute_values(":cutoff", n(release_cutoff_ms));
        let mut items = vec![
            update(session)?,
            update(profile)?,
            put_if_absent(
                &self.table,
                to_item(token, keys::token_pk(token_hash), TOKEN)?,
            )?,
        ];
        match proof {
            LoginProof::SmsPasscode => {}
            LoginProof::Otp { device_id, step } => items.push(update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(keys::key(pk, &keys::otp_sk(device_id))))
                    .update_expression("SET #last = :step")
                    .condition_expression(
                        "#verified = :true AND (attribute_not_exists(#last) OR #last < :step)",
                    )
                    .expression_attribute_names("#last", attr::LAST_STEP)
                    .expression_attribute_names("#verified", attr::VERIFIED)
                    .expression_attribute_values(":true", AttributeValue::Bool(true))
                    .expression_attribute_values(":step", n(step)),
            )?),
            LoginProof::WebAuthn {
                device_id,
                seen,
                sign_count,
            } => items.push(update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(keys::key(pk, &keys::webauthn_sk(device_id))))
                    .update_expression("SET #signCount = :signCount")
                    .condition_expression("#verified = :true AND #signCount = :seen")
                    .expression_attribute_names("#signCount", attr::SIGN_COUNT)
                    .expression_attribute_names("#verified", attr::VERIFIED)
                    .expression_attribute_values(":true", AttributeValue::Bool(true))
                    .expression_attribute_values(":seen", n(seen))
                    .expression_attribute_values(":signCount", n(sign_count)),
            )?),
            LoginProof::Bypass { hash } => {
                items.push(delete_existing(&self.table, pk, &keys::bypass_sk(hash))?)
            }
        }
        self.transact(events, items).await
    }
}
