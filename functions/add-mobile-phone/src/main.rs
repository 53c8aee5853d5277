//! Add a mobile phone — `POST …/multi-factor/mobile-phones` (BEHAVIOR.md 2.1, DECISIONS.md 8).
//!
//! One phone per user: the same number again returns the existing phone; another number
//! replaces it (new id, old PIN gone) unless SMS is the active second factor. The rules are in
//! `decide.rs`.

mod decide;

use decide::Plan;
use mfa_shared::caller::authenticate;
use mfa_shared::commit::{self, attempt, Attempt, Budget};
use mfa_shared::error::msg;
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{json_response, location, parse_wrapped, path_param};
use mfa_shared::model::{now_ms, MobilePhone};
use mfa_shared::phone::parse_number;
use mfa_shared::secrets::random_hex;
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPhone {
    number: Option<String>,
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: NewPhone = parse_wrapped(&req, "RAX-AUTH:mobilePhone")?;
    let user_id = path_param(&req, "userId")?;
    let target = caller.act_on(services, &user_id).await?;
    let number = body
        .number
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request(msg::MISSING_NUMBER))?;
    let parsed = parse_number(&number).ok();
    let (new_id, now) = (random_hex(16), now_ms());
    let (parsed, new_id) = (parsed.as_ref(), new_id.as_str());
    let trail = &services.trail(&req).acting(caller.user_id());
    let phone = commit::on_account(services, Budget::Contended, target, |target| async move {
        match decide::decide(&target, parsed, &services.config, new_id, now)? {
            Plan::Keep(phone) => Ok(Attempt::Done(phone)),
            Plan::Replace { phone, replaced } => {
                let added = trail
                    .event(EventType::DeviceAdd, &target.user)
                    .with_device(DeviceKind::Phone, &phone.id);
                let write = services
                    .store
                    .replace_phone(&target.user.id, &phone, replaced.as_ref(), &[added])
                    .await;
                Ok(attempt(write)?.map(|()| phone))
            }
        }
    })
    .await?;
    tracing::info!(user_id, phone_id = phone.id, "mobile phone added");
    Ok(created(&req, &phone))
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
