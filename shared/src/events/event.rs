//! A security event in its wire form (README "Security events"): what happened, to whom, by
//! whom, from where. It never holds a secret, code, token or session id: only ids of users,
//! domains and devices, and the request's source.

use crate::model::FactorType;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityEvent {
    /// Sorts by time (`Trail::next_id`): newest first is the sort key descending.
    pub id: String,
    /// ISO 8601 UTC with milliseconds.
    pub time: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub outcome: Outcome,
    pub actor: Actor,
    pub subject: Subject,
    pub source: Source,
    pub request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<Factor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// Why a failure failed, or which budget refused (never a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When DynamoDB's TTL may delete it (Unix seconds): stored, never shown.
    #[serde(skip)]
    pub expires_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "login.password")]
    LoginPassword,
    #[serde(rename = "login.apikey")]
    LoginApiKey,
    #[serde(rename = "mfa.challenge")]
    MfaChallenge,
    #[serde(rename = "mfa.verify")]
    MfaVerify,
    #[serde(rename = "mfa.lock")]
    MfaLock,
    #[serde(rename = "mfa.unlock")]
    MfaUnlock,
    #[serde(rename = "mfa.enable")]
    MfaEnable,
    #[serde(rename = "mfa.disable")]
    MfaDisable,
    #[serde(rename = "mfa.factor")]
    MfaFactor,
    #[serde(rename = "mfa.level")]
    MfaLevel,
    #[serde(rename = "device.add")]
    DeviceAdd,
    #[serde(rename = "device.verify")]
    DeviceVerify,
    #[serde(rename = "device.delete")]
    DeviceDelete,
    #[serde(rename = "bypass.generate")]
    BypassGenerate,
    #[serde(rename = "apikey.reset")]
    ApiKeyReset,
    #[serde(rename = "sms.refused")]
    SmsRefused,
    #[serde(rename = "token.revoke")]
    TokenRevoke,
    #[serde(rename = "domain.enforcement")]
    DomainEnforcement,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
}

/// What proved (or failed to prove) who the user is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Factor {
    Password,
    ApiKey,
    Sms,
    Otp,
    WebAuthn,
    Bypass,
}

impl From<FactorType> for Factor {
    fn from(factor: FactorType) -> Self {
        match factor {
            FactorType::Sms => Self::Sms,
            FactorType::Otp => Self::Otp,
            FactorType::WebAuthn => Self::WebAuthn,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    pub user_id: String,
}

/// Whom the event is about: a user (and the user's domain), or a domain alone
/// (`domain.enforcement`, whose `userId` is null).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    pub user_id: Option<String>,
    pub domain_id: Option<String>,
}

/// Where the request came from, as API Gateway saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub ip: String,
    pub user_agent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub kind: DeviceKind,
    pub id: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    Phone,
    Otp,
    WebAuthn,
}

impl DeviceKind {
    /// The kind of device a second factor is proved with.
    pub fn of(factor: FactorType) -> Self {
        match factor {
            FactorType::Sms => Self::Phone,
            FactorType::Otp => Self::Otp,
            FactorType::WebAuthn => Self::WebAuthn,
        }
    }
}

impl SecurityEvent {
    /// This event with outcome `failure`, saying why.
    pub fn failed(mut self, reason: impl Into<String>) -> Self {
        self.outcome = Outcome::Failure;
        self.reason = Some(reason.into());
        self
    }

    pub fn with_factor(mut self, factor: impl Into<Factor>) -> Self {
        self.factor = Some(factor.into());
        self
    }

    pub fn with_device(mut self, kind: DeviceKind, id: &str) -> Self {
        self.device = Some(Device {
            kind,
            id: id.to_owned(),
        });
        self
    }

    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// The partition it is kept in: the domain's for a domain's change, else the subject's.
    pub fn partition(&self) -> Partition<'_> {
        match (&self.subject.user_id, &self.subject.domain_id) {
            (Some(user_id), _) => Partition::User(user_id),
            (None, Some(domain_id)) => Partition::Domain(domain_id),
            (None, None) => Partition::Domain(""),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Partition<'a> {
    User(&'a str),
    Domain(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_wire_form_is_the_documented_one() {
        let event = SecurityEvent {
            id: "1764707000123-00000001-3fa9c2d1".into(),
            time: "2025-12-02T20:23:20.123Z".into(),
            kind: EventType::MfaVerify,
            outcome: Outcome::Success,
            actor: Actor {
                user_id: "u1".into(),
            },
            subject: Subject {
                user_id: Some("u1".into()),
                domain_id: Some("d1".into()),
            },
            source: Source {
                ip: "203.0.113.9".into(),
                user_agent: "curl/8".into(),
            },
            request_id: "r1".into(),
            factor: Some(FactorType::WebAuthn.into()),
            device: Some(Device {
                kind: DeviceKind::WebAuthn,
                id: "k1".into(),
            }),
            reason: None,
            expires_at: 99,
        };
        let wire = serde_json::to_value(&event).unwrap();
        assert_eq!(
            wire,
            json!({"id": "1764707000123-00000001-3fa9c2d1", "time": "2025-12-02T20:23:20.123Z",
                "type": "mfa.verify", "outcome": "success", "actor": {"userId": "u1"},
                "subject": {"userId": "u1", "domainId": "d1"},
                "source": {"ip": "203.0.113.9", "userAgent": "curl/8"}, "requestId": "r1",
                "factor": "WEBAUTHN", "device": {"kind": "webauthn", "id": "k1"}})
        );
        let back: SecurityEvent = serde_json::from_value(wire).unwrap();
        assert_eq!(
            back,
            SecurityEvent {
                expires_at: 0,
                ..event
            }
        );
        let names = [
            (Factor::ApiKey, "APIKEY"),
            (Factor::Bypass, "BYPASS"),
            (Factor::Password, "PASSWORD"),
        ];
        for (factor, name) in names {
            assert_eq!(serde_json::to_value(factor).unwrap(), json!(name));
        }
    }
}
