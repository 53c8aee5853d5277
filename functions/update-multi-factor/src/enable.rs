//! Branch A of BEHAVIOR.md 2.12: turn MFA on, or switch the factor while it is on.

use mfa_shared::error::msg;
use mfa_shared::model::{Account, FactorType};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Services};

/// The factor to use and the verified device that allows it.
fn choose(
    target: &Account,
    requested: Option<FactorType>,
) -> Result<(FactorType, String), ApiError> {
    let otp = target.verified_otp_devices().next().map(|d| d.id.clone());
    let phone = target.verified_phone().map(|p| p.id.clone());
    match (requested, otp, phone) {
        (Some(FactorType::Otp), Some(id), _) => Ok((FactorType::Otp, id)),
        (Some(FactorType::Otp), None, _) => Err(ApiError::bad_request(msg::NO_VERIFIED_OTP)),
        (Some(FactorType::Sms), _, Some(id)) => Ok((FactorType::Sms, id)),
        (Some(FactorType::Sms), _, None) => Err(ApiError::bad_request(msg::NO_VERIFIED_PHONE)),
        (None, Some(id), None) => Ok((FactorType::Otp, id)),
        (None, None, Some(id)) => Ok((FactorType::Sms, id)),
        (None, Some(_), Some(_)) => Err(ApiError::bad_request(msg::SPECIFY_FACTOR)),
        (None, None, None) if target.phone.is_none() && target.otp_devices.is_empty() => {
            Err(ApiError::bad_request(msg::NO_DEVICE))
        }
        (None, None, None) => Err(ApiError::bad_request(msg::DEVICE_NOT_VERIFIED)),
    }
}

pub async fn enable(
    services: &Services,
    mut target: Account,
    requested: Option<FactorType>,
) -> Result<(), ApiError> {
    for _ in 0..3 {
        let mfa = &target.user.mfa;
        if mfa.enabled && requested.is_none_or(|f| f == target.user.factor()) {
            return Ok(());
        }
        let (factor, device_id) = choose(&target, requested)?;
        match services.store.enable_mfa(&target, factor, &device_id).await {
            Ok(()) => {
                let switched = target.user.mfa.enabled;
                tracing::info!(
                    user_id = target.user.id,
                    factor = factor.name(),
                    switched,
                    "multi-factor enabled"
                );
                return Ok(());
            }
            Err(StoreError::Conflict) => target = services.reload_account(&target.user.id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "MFA settings kept changing under concurrent requests".into(),
    ))
}
