//! JSON representations of resources (one place, so every operation shows the same shape).

use crate::model::{Domain, MobilePhone, OtpDevice, User};
use serde_json::{json, Map, Value};

/// `{id, number, verified}`; the create response omits `verified` (BEHAVIOR.md 2.1).
pub fn mobile_phone(phone: &MobilePhone, with_verified: bool) -> Value {
    let mut v = json!({ "id": phone.id, "number": phone.display });
    if with_verified {
        v["verified"] = json!(phone.verified);
    }
    v
}

/// `{id, name, verified}`: never the secret (that is only in the create response).
pub fn otp_device(device: &OtpDevice) -> Value {
    json!({ "id": device.id, "name": device.name, "verified": device.verified })
}

/// The user representation with the MFA fields of BEHAVIOR.md 8.
pub fn user(user: &User, locked: bool) -> Value {
    let mut v = Map::new();
    v.insert("id".into(), json!(user.id));
    v.insert("username".into(), json!(user.username));
    if let Some(email) = &user.email {
        v.insert("email".into(), json!(email));
    }
    v.insert("enabled".into(), json!(user.enabled));
    if let Some(domain) = &user.domain_id {
        v.insert("RAX-AUTH:domainId".into(), json!(domain));
    }
    v.insert(
        "RAX-AUTH:multiFactorEnabled".into(),
        json!(user.mfa.enabled),
    );
    if user.mfa.enabled {
        v.insert(
            "RAX-AUTH:multiFactorState".into(),
            json!(if locked { "LOCKED" } else { "ACTIVE" }),
        );
        let factor = user
            .mfa
            .factor_type
            .unwrap_or(crate::model::FactorType::Sms);
        v.insert("RAX-AUTH:factorType".into(), json!(factor));
    }
    if let Some(level) = user.mfa.enforcement_level {
        v.insert(
            "RAX-AUTH:userMultiFactorEnforcementLevel".into(),
            json!(level),
        );
    }
    Value::Object(v)
}

/// `[{id, name, description}]` for the user's recognised identity roles.
pub fn roles(user: &User) -> Value {
    let roles: Vec<Value> = user
        .roles
        .iter()
        .filter_map(|n| crate::roles::IdentityRole::from_name(n))
        .map(|r| json!({ "id": r.id(), "name": r.name(), "description": r.description() }))
        .collect();
    Value::Array(roles)
}

/// `{id, name, enabled, domainMultiFactorEnforcementLevel?}` (API.md SR-2; the name is the id).
pub fn domain(domain: &Domain) -> Value {
    let mut v = json!({ "id": domain.id, "name": domain.id, "enabled": domain.enabled });
    if let Some(level) = domain.enforcement_level {
        v["domainMultiFactorEnforcementLevel"] = json!(level);
    }
    v
}
