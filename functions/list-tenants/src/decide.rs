//! What `GET /v2.0/tenants` shows: the caller's tenants (its domain's; none without a domain).

use mfa_shared::model::Tenant;
use mfa_shared::views;
use serde_json::{json, Value};

pub fn answer(tenants: &[Tenant]) -> Value {
    let tenants: Vec<_> = tenants.iter().map(views::tenant).collect();
    json!({ "tenants": tenants, "tenants_links": [] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystones_list_with_its_paging_links() {
        assert_eq!(answer(&[]), json!({"tenants": [], "tenants_links": []}));
        let mut files = Tenant::default_of("acme");
        files.id = "files".into();
        files.enabled = false;
        assert_eq!(
            answer(&[Tenant::default_of("acme"), files]),
            json!({"tenants": [{"id": "acme", "name": "acme", "enabled": true},
                               {"id": "files", "name": "acme", "enabled": false}],
                   "tenants_links": []})
        );
    }
}
