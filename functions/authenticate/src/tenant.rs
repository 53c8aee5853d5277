//! The tenant a login's token is for: the one it names, if the user has it, or the domain's
//! default one.

use mfa_shared::model::{choose_tenant, Tenant, TenantRef, TenantRequest, User};
use mfa_shared::{ApiError, Services};

/// The tenant of the token `user` is about to get; 401 with the original's message when the
/// user has no tenant by that id or name. Only a named tenant other than the default costs a
/// read (the default one, id = name = domain id, has no item).
pub async fn scope(
    services: &Services,
    user: &User,
    request: Option<&TenantRequest>,
) -> Result<Option<TenantRef>, ApiError> {
    let Some(domain) = &user.domain_id else {
        return match request {
            None => Ok(None),
            Some(asked) => Err(not_valid_for(asked, user)),
        };
    };
    let default = Tenant::default_of(domain);
    let names_default = |r: &TenantRequest| match r {
        TenantRequest::Id(id) => id == &default.id,
        TenantRequest::Name(name) => name == &default.name,
    };
    let tenants = match request {
        None => vec![default],
        Some(r) if names_default(r) => vec![default],
        Some(_) => services.store.list_tenants(domain).await?,
    };
    match (choose_tenant(&tenants, request), request) {
        (Ok(tenant), _) => Ok(tenant.map(TenantRef::from)),
        (Err(_), Some(asked)) => Err(not_valid_for(asked, user)),
        (Err(_), None) => Err(ApiError::Internal(
            "the domain has no default tenant".into(),
        )),
    }
}

fn not_valid_for(asked: &TenantRequest, user: &User) -> ApiError {
    let (TenantRequest::Id(name) | TenantRequest::Name(name)) = asked;
    ApiError::Unauthorized(format!(
        "Tenant with Name/Id: '{name}' is not valid for User '{}' (id: '{}')",
        user.username, user.id
    ))
}
