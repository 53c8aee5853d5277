//! Domain types. They serialise to the attributes of their DynamoDB items (the store adds the keys).

mod account;
mod api_key;
mod bypass;
mod catalog;
mod domain;
mod duration;
mod expiry;
mod lockout;
mod otp;
mod password_limit;
mod phone;
mod send_log;
mod session;
mod sms_budget;
mod tenant;
mod text;
mod time;
mod token;
mod user;
mod webauthn;

pub use account::Account;
pub use api_key::ApiKey;
pub use bypass::BypassCode;
pub use catalog::CatalogTemplate;
pub use domain::{domain_epoch, Domain};
pub use duration::{format_duration_ms, parse_duration_ms};
pub use expiry::Expiry;
pub use lockout::{Counted, Lockout};
pub use otp::{validate_device_name, NameProblem, OtpDevice, MAX_NAME_CHARS};
pub use password_limit::{LoginFailures, NextFailure, PasswordLimit};
pub use phone::{MobilePhone, PendingPin, PinCheck};
pub use send_log::{SendLog, SendRefused, SendScope};
pub use session::{could_be_session_id, new_session_id, MfaSession};
pub use sms_budget::{DomainSmsHour, SmsLimits, SmsPurpose, SmsRefused, SmsSpend};
pub use tenant::{choose_tenant, NoSuchTenant, Tenant, TenantRef, TenantRequest};
pub use text::{is_invisible, is_visible_text};
pub use time::iso8601_ms;
pub use token::{AuthMethod, Token, SETUP_MFA_SCOPE};
pub use user::{EnforcementLevel, FactorType, MfaSettings, UnknownValue, User, MAX_USERNAME_BYTES};
pub use webauthn::{PendingRegistration, WebAuthnDevice};

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
