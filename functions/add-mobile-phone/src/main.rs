//! Add a mobile phone — `POST …/multi-factor/mobile-phones` (BEHAVIOR.md 2.1, DECISIONS.md 8).
//!
//! One phone per user: the same number again returns the existing phone; another number
//! replaces it (new id, old PIN gone) unless SMS is the active second factor.

use mfa_shared::caller::authenticate;
use mfa_shared::error::msg;
use mfa_shared::http::{json_response, location, parse_wrapped, path_param};
use mfa_shared::model::{now_ms, MobilePhone};
use mfa_shared::phone::{parse_number, region_refused};
use mfa_shared::secrets::random_hex;
use mfa_shared::store::StoreError;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPhone {
    number: Option<String>,
}

/// A concurrent change to the user's phone makes our write fail; decide again on fresh data.
const ATTEMPTS: usize = 3;

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: NewPhone = parse_wrapped(&req, "RAX-AUTH:mobilePhone")?;
    let user_id = path_param(&req, "userId")?;
    let mut target = caller.act_on(services, &user_id).await?;
    let number = body
        .number
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request(msg::MISSING_NUMBER))?;
    for _ in 0..ATTEMPTS {
        if target.user.sms_mfa_active() {
            return Err(ApiError::bad_request(msg::CANNOT_REPLACE_PHONE));
        }
        let parsed =
            parse_number(&number).map_err(|_| ApiError::bad_request(msg::INVALID_NUMBER))?;
        if !services.config.sms_region_allowed(parsed.region.as_deref()) {
            return Err(region_refused(&services.config, parsed.region.as_deref()));
        }
        if let Some(existing) = target.phone.as_ref().filter(|p| p.number == parsed.e164) {
            return Ok(created(&req, existing));
        }
        let phone = MobilePhone {
            id: random_hex(16),
            number: parsed.e164,
            display: parsed.international,
            region: parsed.region,
            verified: false,
            pin: None,
            created_at: now_ms(),
        };
        match services
            .store
            .replace_phone(&user_id, &phone, target.phone.as_ref())
            .await
        {
            Ok(()) => {
                tracing::info!(
                    user_id,
                    phone_id = phone.id,
                    replaced = target.phone.is_some(),
                    "mobile phone added"
                );
                return Ok(created(&req, &phone));
            }
            Err(StoreError::Conflict) => target = services.reload_account(&user_id).await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "phone kept changing under concurrent requests".into(),
    ))
}

fn created(req: &Request, phone: &MobilePhone) -> Response<Body> {
    let mut resp = json_response(
        201,
        &json!({ "RAX-AUTH:mobilePhone": views::mobile_phone(phone, false) }),
    );
    if let Ok(v) = location(req, &phone.id).parse() {
        resp.headers_mut().insert("location", v);
    }
    resp
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("add-mobile-phone", handle).await
}
