//! Create an OTP device — `POST …/multi-factor/otp-devices` (BEHAVIOR.md 2.8, DECISIONS.md
//! "OTP devices", 22). The secret leaves the service only here, as `keyUri` and `qrcode`. The
//! rules are in `decide.rs`; the store's write holds the device limit under concurrent creates.

mod decide;

use mfa_shared::caller::authenticate;
use mfa_shared::events::{DeviceKind, EventType};
use mfa_shared::http::{json_response, location, parse_wrapped, path_param};
use mfa_shared::model::{now_ms, OtpDevice};
use mfa_shared::secrets::otpauth::{key_uri, qr_png_data_uri};
use mfa_shared::secrets::{random_bytes, random_hex, totp};
use mfa_shared::store::StoreError;
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
    let body: NewDevice = parse_wrapped(&req, "RAX-AUTH:otpDevice")?;
    let user_id = path_param(&req, "userId")?;
    let target = caller.load_target(services, &user_id).await?;
    let config = &services.config;
    let name = decide::decide(&caller, &target, body.name.as_deref(), config)?;
    let secret = random_bytes(totp::SECRET_BYTES);
    let id = random_hex(16);
    let sealed = services
        .sealer()
        .seal(&secret, &OtpDevice::seal_context(&user_id, &id))
        .await?;
    let device = OtpDevice {
        id,
        name,
        secret: sealed,
        verified: false,
        last_step: None,
        created_at: now_ms(),
    };
    let uri = key_uri(&config.otp_issuer, &device.name, &secret);
    let qrcode = qr_png_data_uri(&uri).map_err(ApiError::Internal)?;
    let added = services
        .trail(&req)
        .acting(caller.user_id())
        .event(EventType::DeviceAdd, &target.user)
        .with_device(DeviceKind::Otp, &device.id);
    match services
        .store
        .add_otp_device(&user_id, &device, config.otp_max_devices, &[added])
        .await
    {
        Ok(()) => {}
        // A concurrent create took the last free place.
        Err(StoreError::Conflict) => return Err(decide::too_many()),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(user_id, device_id = device.id, "OTP device created");
    let mut view = views::otp_device(&device);
    view["keyUri"] = json!(uri);
    view["qrcode"] = json!(qrcode);
    let mut resp = json_response(201, &json!({ "RAX-AUTH:otpDevice": view }));
    if let Ok(v) = location(&req, &device.id).parse() {
        resp.headers_mut().insert("location", v);
    }
    Ok(resp)
}

#[tokio::main]
async fn main() -> Result<(), mfa_shared::runtime::Error> {
    mfa_shared::run("add-otp-device", handle).await
}
