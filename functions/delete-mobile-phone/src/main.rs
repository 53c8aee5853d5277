//! Delete a mobile phone — `DELETE …/multi-factor/mobile-phones/{mobilePhoneId}` (BEHAVIOR.md 2.5).

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{empty_response, path_param};
use mfa_shared::store::StoreError;
use mfa_shared::{ApiError, Body, Request, Response, Services};

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let user_id = path_param(&req, "userId")?;
    let phone_id = path_param(&req, "mobilePhoneId")?;
    let mut target = caller.act_on(services, &user_id).await?;
    // Decide on the data we read; if it changed before our conditional write, decide again.
    for _ in 0..2 {
        if target.phone_with_id(&phone_id).is_none() {
            return Err(ApiError::not_found(msg::MOBILE_PHONE_NOT_FOUND));
        }
        if target.user.sms_mfa_active() {
            return Err(ApiError::bad_request(msg::CANNOT_DELETE_SMS_PHONE));
        }
        match services.store.delete_phone(&user_id, &phone_id).await {
            Ok(()) => {
                tracing::info!(user_id, phone_id, "mobile phone deleted");
                return Ok(empty_response(204));
            }
            Err(StoreError::Conflict) => target = services.reload_account(&user_id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "phone kept changing under concurrent requests".into(),
    ))
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("delete-mobile-phone", handle).await
}
