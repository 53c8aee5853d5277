//! JSON representations of resources (one place, so every operation shows the same shape).

use crate::model::{
    iso8601_ms, CatalogTemplate, Domain, MobilePhone, OtpDevice, Tenant, Token, User,
    WebAuthnDevice,
};
use serde_json::{json, Map, Value};

/// `{id, number, verified}`; the create response omits `verified` (BEHAVIOR.md 2.1).
pub fn mobile_phone(phone: &MobilePhone, with_verified: bool) -> Value {
    let mut v = json!({ "id": phone.id, "number": phone.display });
    if with_verified {
        v["verified"] = json!(phone.verified);
    }
    v
}

/// The user's phones (its one, or none), as lists show them.
pub fn mobile_phones(account: &crate::model::Account) -> Value {
    Value::Array(
        account
            .phone
            .iter()
            .map(|p| mobile_phone(p, true))
            .collect(),
    )
}

/// `{id, name, verified}`: never the secret (that is only in the create response).
pub fn otp_device(device: &OtpDevice) -> Value {
    json!({ "id": device.id, "name": device.name, "verified": device.verified })
}

/// `{id, name, verified}`: never the credential, its id or its counter (WEBAUTHN.md).
pub fn webauthn_device(device: &WebAuthnDevice) -> Value {
    json!({ "id": device.id, "name": device.name, "verified": device.verified })
}

/// The user's WebAuthn devices in creation order.
pub fn webauthn_devices(account: &crate::model::Account) -> Value {
    Value::Array(
        account
            .webauthn_devices
            .iter()
            .map(webauthn_device)
            .collect(),
    )
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

/// `[{id, name, description}]` for the user's recognised roles (none is tenant-scoped).
pub fn roles(user: &User) -> Value {
    let roles: Vec<Value> = user
        .roles
        .iter()
        .filter_map(|n| crate::roles::Role::from_name(n))
        .map(|r| json!({ "id": r.id(), "name": r.name(), "description": r.description() }))
        .collect();
    Value::Array(roles)
}

/// The `access` body of a login or a token validation, without the service catalog (which
/// only a login carries): the token with its tenant and how its holder authenticated, and
/// the user with its e-mail (empty when none was given: clients read it unconditionally),
/// default region (its own, else the catalog's), domain, MFA flag and roles.
pub fn access(
    token_id: &str,
    token: &Token,
    user: &User,
    catalog: Option<&CatalogTemplate>,
) -> Value {
    let mut token_view = json!({
        "id": token_id,
        "expires": iso8601_ms(token.expires_at * 1000),
    });
    if let Some(tenant) = &token.tenant {
        token_view["tenant"] = json!({ "id": tenant.id, "name": tenant.name });
    }
    token_view["RAX-AUTH:authenticatedBy"] = json!(token.authenticated_by);
    let mut user_view = json!({
        "id": user.id,
        "name": user.username,
        "email": user.email.as_deref().unwrap_or_default(),
    });
    let region = user
        .default_region
        .as_deref()
        .or(catalog.and_then(|c| c.default_region.as_deref()));
    if let Some(region) = region {
        user_view["RAX-AUTH:defaultRegion"] = json!(region);
    }
    if let Some(domain) = &user.domain_id {
        user_view["RAX-AUTH:domainId"] = json!(domain);
    }
    user_view["RAX-AUTH:multiFactorEnabled"] = json!(user.mfa.enabled);
    let mut roles = roles(user);
    if let (Some(tenant), Value::Array(list)) = (&token.tenant, &mut roles) {
        list.push(tenant_role(&tenant.id));
    }
    user_view["roles"] = roles;
    json!({ "token": token_view, "user": user_view })
}

/// The tenant-scoped role of a token's tenant (the identity roles are global): what tells a
/// client such as keystone-rxt which tenant the user may use, as the original's
/// `<product>:default` roles do.
fn tenant_role(tenant_id: &str) -> Value {
    json!({
        "id": "11",
        "name": "tenant:default",
        "description": "Access to the tenant.",
        "tenantId": tenant_id,
    })
}

/// `{id, name, enabled}` of a tenant (GET /v2.0/tenants).
pub fn tenant(tenant: &Tenant) -> Value {
    json!({ "id": tenant.id, "name": tenant.name, "enabled": tenant.enabled })
}

/// `{id, name, enabled, domainMultiFactorEnforcementLevel?}` (API.md SR-2; the name is the id).
pub fn domain(domain: &Domain) -> Value {
    let mut v = json!({ "id": domain.id, "name": domain.id, "enabled": domain.enabled });
    if let Some(level) = domain.enforcement_level {
        v["domainMultiFactorEnforcementLevel"] = json!(level);
    }
    v
}

/// `{"RAX-KSKEY:apiKeyCredentials": {username, apiKey}}` (the original's shape).
pub fn api_key_credentials(user: &User, key: &str) -> Value {
    json!({ "RAX-KSKEY:apiKeyCredentials": { "username": user.username, "apiKey": key } })
}

/// 404 for a user without an API key, in the original's words.
pub fn no_api_key(user_id: &str) -> crate::ApiError {
    crate::ApiError::not_found(format!(
        "Credential type RAX-KSKEY:apiKeyCredentials was not found for User with Id: {user_id}"
    ))
}
