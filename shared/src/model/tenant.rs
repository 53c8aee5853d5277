use serde::{Deserialize, Serialize};

/// A tenant (project, in Keystone's words): what a token is scoped to and what the service
/// catalog's URLs name. Every domain has a default tenant whose id and name are the domain id
/// (the original's account number), without an item of its own; `mfa-admin add-tenant` adds
/// others (`DOMAIN#<domain>` / `TENANT#<id>` items, ids unique across domains).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub domain_id: String,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

impl Tenant {
    /// The domain's default tenant.
    pub fn default_of(domain_id: &str) -> Self {
        Self {
            id: domain_id.to_owned(),
            name: domain_id.to_owned(),
            domain_id: domain_id.to_owned(),
            enabled: true,
        }
    }
}

/// The tenant a token is scoped to, as the token keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: String,
    pub name: String,
}

impl From<&Tenant> for TenantRef {
    fn from(t: &Tenant) -> Self {
        Self {
            id: t.id.clone(),
            name: t.name.clone(),
        }
    }
}

/// Which tenant a login asks for (`tenantId` or `tenantName`; BEHAVIOR.md 7.1: not both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TenantRequest {
    Id(String),
    Name(String),
}

/// Why a tenant cannot be had.
#[derive(Debug, PartialEq, Eq)]
pub struct NoSuchTenant;

/// The tenant a token of a user with these tenants gets: the one asked for (among the user's
/// enabled tenants), or without a request the domain's default; none for a user without a
/// domain (and so without tenants) who asks for none.
pub fn choose_tenant<'a>(
    tenants: &'a [Tenant],
    request: Option<&TenantRequest>,
) -> Result<Option<&'a Tenant>, NoSuchTenant> {
    let usable = || tenants.iter().filter(|t| t.enabled);
    match request {
        None => Ok(usable().find(|t| t.id == t.domain_id)),
        Some(TenantRequest::Id(id)) => usable().find(|t| &t.id == id).map(Some).ok_or(NoSuchTenant),
        Some(TenantRequest::Name(name)) => usable()
            .find(|t| &t.name == name)
            .map(Some)
            .ok_or(NoSuchTenant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenants() -> Vec<Tenant> {
        vec![
            Tenant::default_of("acme"),
            Tenant {
                id: "acme-files".into(),
                name: "Files".into(),
                domain_id: "acme".into(),
                enabled: true,
            },
            Tenant {
                id: "old".into(),
                name: "Old".into(),
                domain_id: "acme".into(),
                enabled: false,
            },
        ]
    }

    #[test]
    fn a_login_gets_the_default_tenant_or_the_one_it_names() {
        let t = tenants();
        assert_eq!(choose_tenant(&t, None).unwrap().unwrap().id, "acme");
        let by_id = TenantRequest::Id("acme-files".into());
        assert_eq!(
            choose_tenant(&t, Some(&by_id)).unwrap().unwrap().name,
            "Files"
        );
        let by_name = TenantRequest::Name("Files".into());
        assert_eq!(
            choose_tenant(&t, Some(&by_name)).unwrap().unwrap().id,
            "acme-files"
        );
    }

    #[test]
    fn unknown_disabled_or_foreign_tenants_are_refused() {
        let t = tenants();
        for request in [
            TenantRequest::Id("other".into()),
            TenantRequest::Id("old".into()),
            TenantRequest::Name("acme-files".into()),
        ] {
            assert_eq!(
                choose_tenant(&t, Some(&request)),
                Err(NoSuchTenant),
                "{request:?}"
            );
        }
        assert_eq!(choose_tenant(&[], None), Ok(None), "no domain, no tenant");
        assert_eq!(
            choose_tenant(&[], Some(&TenantRequest::Id("acme".into()))),
            Err(NoSuchTenant)
        );
    }
}
