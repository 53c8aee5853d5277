//! Partition and sort keys of every item kind.

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub const PROFILE: &str = "PROFILE";
pub const PHONE_PREFIX: &str = "PHONE#";
pub const SEND_LOG_PREFIX: &str = "SENDLOG#";
pub const OTP_PREFIX: &str = "OTP#";
pub const BYPASS_PREFIX: &str = "BYPASS#";
pub const DOMAIN: &str = "DOMAIN";
pub const SESSION: &str = "SESSION";
pub const TOKEN: &str = "TOKEN";
pub const SMS_HOUR: &str = "SMSHOUR#";
pub const API_KEY: &str = "APIKEY";
pub const TENANT_PREFIX: &str = "TENANT#";
pub const TENANT: &str = "TENANT";
pub const CONFIG: &str = "CONFIG";
pub const CATALOG: &str = "CATALOG";

pub fn user_pk(user_id: &str) -> String {
    format!("USER#{user_id}")
}

pub fn phone_sk(phone_id: &str) -> String {
    format!("{PHONE_PREFIX}{phone_id}")
}

pub fn otp_sk(device_id: &str) -> String {
    format!("{OTP_PREFIX}{device_id}")
}

pub fn bypass_sk(hash: &str) -> String {
    format!("{BYPASS_PREFIX}{hash}")
}

pub fn session_pk(session_hash: &str) -> String {
    format!("SESSION#{session_hash}")
}

pub fn send_log_sk(e164: &str) -> String {
    format!("{SEND_LOG_PREFIX}{e164}")
}

/// Usernames are unique case-insensitively (DECISIONS.md 14).
pub fn username_pk(username: &str) -> String {
    format!("USERNAME#{}", username.to_lowercase())
}

/// A domain's SMS count in one clock hour (`DOMAIN#<id>` / `SMSHOUR#<hours since epoch>`).
pub fn sms_hour_sk(hour: i64) -> String {
    format!("{SMS_HOUR}{hour}")
}

/// A tenant of a domain (`DOMAIN#<domain>` / `TENANT#<id>`), listed with one Query.
pub fn tenant_sk(tenant_id: &str) -> String {
    format!("{TENANT_PREFIX}{tenant_id}")
}

/// A tenant id's reservation across domains (`TENANT#<id>` / `TENANT`).
pub fn tenant_pk(tenant_id: &str) -> String {
    format!("{TENANT_PREFIX}{tenant_id}")
}

pub fn domain_pk(domain_id: &str) -> String {
    format!("DOMAIN#{domain_id}")
}

pub fn token_pk(token_hash: &str) -> String {
    format!("TOKEN#{token_hash}")
}

pub fn key(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("PK".to_owned(), AttributeValue::S(pk)),
        ("SK".to_owned(), AttributeValue::S(sk.to_owned())),
    ])
}
