//! The service catalog: an operator's template (`mfa-admin set-catalog --file`), rendered for
//! the tenant a token is scoped to, like Keystone's templated catalog.

use super::TenantRef;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// What an operator writes. URLs may hold `{tenantId}` and `{tenantName}`.
///
/// ```json
/// {"defaultRegion": "ORD",
///  "services": [{"type": "compute", "name": "cloudServersOpenStack",
///                "endpoints": [{"region": "ORD",
///                               "publicURL": "https://ord.servers.example.com/v2/{tenantId}"}]}]}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogTemplate {
    /// `RAX-AUTH:defaultRegion` of users who have none of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
    pub services: Vec<ServiceTemplate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceTemplate {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub endpoints: Vec<EndpointTemplate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointTemplate {
    pub region: String,
    #[serde(rename = "publicURL")]
    pub public_url: String,
    #[serde(
        rename = "internalURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_url: Option<String>,
    #[serde(rename = "adminURL", default, skip_serializing_if = "Option::is_none")]
    pub admin_url: Option<String>,
}

const PLACEHOLDERS: [&str; 2] = ["{tenantId}", "{tenantName}"];

impl CatalogTemplate {
    /// Parses and checks an operator's file: every service typed and named, every endpoint in a
    /// region with http(s) URLs naming no placeholder but `{tenantId}` and `{tenantName}`.
    pub fn parse(json: &str) -> Result<Self, String> {
        let template: Self = serde_json::from_str(json).map_err(|e| e.to_string())?;
        for service in &template.services {
            if service.kind.trim().is_empty() || service.name.trim().is_empty() {
                return Err("every service needs a type and a name".into());
            }
            for endpoint in &service.endpoints {
                if endpoint.region.trim().is_empty() {
                    return Err(format!("an endpoint of {} has no region", service.name));
                }
                let urls = [
                    Some(&endpoint.public_url),
                    endpoint.internal_url.as_ref(),
                    endpoint.admin_url.as_ref(),
                ];
                for url in urls.into_iter().flatten() {
                    check_url(url).map_err(|why| format!("{}: {url}: {why}", service.name))?;
                }
            }
        }
        Ok(template)
    }

    /// The `serviceCatalog` of a token scoped to `tenant` (without a tenant, endpoints whose
    /// URLs name one are left out: they would point nowhere).
    pub fn render(&self, tenant: Option<&TenantRef>) -> Value {
        let services: Vec<Value> = self
            .services
            .iter()
            .map(|service| {
                let endpoints: Vec<Value> = service
                    .endpoints
                    .iter()
                    .filter_map(|e| endpoint(e, tenant))
                    .collect();
                json!({ "name": service.name, "type": service.kind, "endpoints": endpoints })
            })
            .collect();
        Value::Array(services)
    }
}

fn endpoint(template: &EndpointTemplate, tenant: Option<&TenantRef>) -> Option<Value> {
    let fill = |url: &str| -> Option<String> {
        match tenant {
            Some(t) => Some(
                url.replace("{tenantId}", &t.id)
                    .replace("{tenantName}", &t.name),
            ),
            None => (!PLACEHOLDERS.iter().any(|p| url.contains(p))).then(|| url.to_owned()),
        }
    };
    let mut v = Map::new();
    v.insert("region".into(), json!(template.region));
    if let Some(t) = tenant {
        v.insert("tenantId".into(), json!(t.id));
    }
    v.insert("publicURL".into(), json!(fill(&template.public_url)?));
    if let Some(url) = &template.internal_url {
        v.insert("internalURL".into(), json!(fill(url)?));
    }
    if let Some(url) = &template.admin_url {
        v.insert("adminURL".into(), json!(fill(url)?));
    }
    Some(Value::Object(v))
}

fn check_url(url: &str) -> Result<(), &'static str> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("not an http(s) URL");
    }
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').ok_or("an unclosed {")?;
        if !PLACEHOLDERS.contains(&&rest[start..start + end + 1]) {
            return Err("only {tenantId} and {tenantName} may be filled in");
        }
        rest = &rest[start + end + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"defaultRegion": "ORD", "services": [
        {"type": "compute", "name": "cloudServersOpenStack", "endpoints": [
            {"region": "ORD", "publicURL": "https://ord.servers.example.com/v2/{tenantId}"},
            {"region": "DFW", "publicURL": "https://dfw.servers.example.com/v2/{tenantId}",
             "internalURL": "http://10.0.0.1/v2/{tenantName}"}]},
        {"type": "identity", "name": "identity", "endpoints": [
            {"region": "ORD", "publicURL": "https://identity.example.com/v2.0"}]}]}"#;

    #[test]
    fn a_template_renders_for_the_scoped_tenant() {
        let catalog = CatalogTemplate::parse(EXAMPLE).unwrap();
        let tenant = TenantRef {
            id: "123".into(),
            name: "acme".into(),
        };
        assert_eq!(
            catalog.render(Some(&tenant)),
            json!([
                {"name": "cloudServersOpenStack", "type": "compute", "endpoints": [
                    {"region": "ORD", "tenantId": "123", "publicURL": "https://ord.servers.example.com/v2/123"},
                    {"region": "DFW", "tenantId": "123", "publicURL": "https://dfw.servers.example.com/v2/123",
                     "internalURL": "http://10.0.0.1/v2/acme"}]},
                {"name": "identity", "type": "identity", "endpoints": [
                    {"region": "ORD", "tenantId": "123", "publicURL": "https://identity.example.com/v2.0"}]}
            ])
        );
        let unscoped = catalog.render(None);
        assert_eq!(
            unscoped[0]["endpoints"],
            json!([]),
            "tenant URLs need a tenant"
        );
        assert_eq!(
            unscoped[1]["endpoints"][0]["publicURL"],
            "https://identity.example.com/v2.0"
        );
    }

    #[test]
    fn bad_templates_are_refused_with_a_reason() {
        for (bad, why) in [
            (
                r#"{"services": [{"type": "", "name": "x", "endpoints": []}]}"#,
                "type and a name",
            ),
            (
                r#"{"services": [{"type": "t", "name": "x", "endpoints": [{"region": "R", "publicURL": "ftp://x"}]}]}"#,
                "http(s)",
            ),
            (
                r#"{"services": [{"type": "t", "name": "x", "endpoints": [{"region": "R", "publicURL": "https://x/{user}"}]}]}"#,
                "only {tenantId}",
            ),
            (r#"{"services": [], "extra": 1}"#, "unknown field"),
            (
                r#"{"services": [{"type": "t", "name": "x", "endpoints": [{"region": " ", "publicURL": "https://x"}]}]}"#,
                "no region",
            ),
        ] {
            let e = CatalogTemplate::parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
