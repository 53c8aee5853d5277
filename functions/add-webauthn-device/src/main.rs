//! Begin a WebAuthn registration — `POST …/multi-factor/webauthn-devices` (WEBAUTHN.md
//! "Operations" 1): an unverified device and the options for `navigator.credentials.create()`.
//! The rules are in `decide.rs`; the store's write holds the device limit and the user's one
//! handle under concurrent requests (a conflict decides again on what was written).

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::commit::{self, attempt, Budget};
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{json_response, location, parse_wrapped, path_param};
use mfa_shared::model::{now_ms, Expiry, WebAuthnDevice};
use mfa_shared::secrets::random_hex;
use mfa_shared::webauthn::{begin_registration, RelyingParty};
use mfa_shared::{views, ApiError, Body, Request, Response, Services};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDevice {
    name: Option<String>,
}

async fn handle(services: &Services, req: Request) -> Result<Response<Body>, ApiError> {
    let caller = authenticate(services, &req).await?;
    let body: NewDevice = parse_wrapped(&req, "RAX-AUTH:webAuthnDevice")?;
    let user_id = path_param(&req, "userId")?;
    let target = caller.load_target(services, &user_id).await?;
    let (config, caller, name) = (&services.config, &caller, body.name.as_deref());
    let rp = &RelyingParty::new(&config.webauthn)?;
    let trail = &services.trail(&req).acting(caller.user_id());
    let (device, public_key) =
        commit::on_account(services, Budget::Contended, target, |target| async move {
            let name = decide::decide(caller, &target, name, config)?;
            let handle = decide::user_handle(&target);
            let options = begin_registration(
                rp,
                &handle,
                &target.user.username,
                &decide::exclude(&target),
            )?;
            let now = now_ms();
            let expiry = Expiry::after(now, config.webauthn.ceremony).ms();
            let device =
                WebAuthnDevice::unverified(random_hex(16), name, options.state, expiry, now);
            let event = trail
                .event(EventType::DeviceAdd, &target.user)
                .with_device(DeviceKind::WebAuthn, &device.id);
            let added = services
                .store
                .add_webauthn_device(
                    &target.user.id,
                    &device,
                    &handle,
                    config.webauthn.max_devices,
                    &[event],
                )
                .await;
            Ok(attempt(added)?.map(|()| (device, options.public_key)))
        })
        .await?;
    tracing::info!(
        user_id,
        device_id = device.id,
        "WebAuthn registration begun"
    );
    let mut view = views::webauthn_device(&device);
    view["publicKey"] = public_key;
    let mut resp = json_response(201, &json!({ "RAX-AUTH:webAuthnDevice": view }));
    if let Ok(v) = location(&req, &device.id).parse() {
        resp.headers_mut().insert("location", v);
    }
    Ok(resp)
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("add-webauthn-device", handle).await
}
