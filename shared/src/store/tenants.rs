//! Tenants of domains: the default one (no item) and those an operator added.

use super::accounts::put_if_absent;
use super::client::{built, from_item, s, to_item, DynamoStore, Item, SortKeys};
use super::keys::{self, DOMAIN, TENANT, TENANT_PREFIX};
use super::StoreError;
use crate::model::Tenant;
use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum AddTenantError {
    #[error("no domain {0}")]
    NoDomain(String),
    #[error("tenant id {0} is taken (by a tenant or a domain)")]
    Taken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DynamoStore {
    /// The domain's tenants: its default one first, then the added ones by id.
    pub async fn list_tenants(&self, domain_id: &str) -> Result<Vec<Tenant>, StoreError> {
        let mut tenants = vec![Tenant::default_of(domain_id)];
        for item in self
            .query_partition(keys::domain_pk(domain_id), SortKeys::Prefix(TENANT_PREFIX))
            .await?
        {
            tenants.push(from_item(item)?);
        }
        Ok(tenants)
    }

    /// Adds a tenant to an existing domain. Its id is reserved across domains, and may not be
    /// a domain's id (that is the domain's default tenant).
    pub async fn add_tenant(&self, tenant: &Tenant) -> Result<(), AddTenantError> {
        let domain_exists = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::domain_pk(&tenant.domain_id), DOMAIN)))
            .condition_expression("attribute_exists(PK)");
        let not_a_domain = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::domain_pk(&tenant.id), DOMAIN)))
            .condition_expression("attribute_not_exists(PK)");
        let reservation: Item = HashMap::from([
            ("PK".to_owned(), s(keys::tenant_pk(&tenant.id))),
            ("SK".to_owned(), s(TENANT)),
            ("domainId".to_owned(), s(&tenant.domain_id)),
        ]);
        let items = vec![
            TransactWriteItem::builder()
                .condition_check(built(domain_exists.build())?)
                .build(),
            TransactWriteItem::builder()
                .condition_check(built(not_a_domain.build())?)
                .build(),
            put_if_absent(&self.table, reservation)?,
            put_if_absent(
                &self.table,
                to_item(
                    tenant,
                    keys::domain_pk(&tenant.domain_id),
                    &keys::tenant_sk(&tenant.id),
                )?,
            )?,
        ];
        match self.transact(&[], items).await {
            Ok(()) => Ok(()),
            // Which condition failed: a missing domain is the one an operator can fix.
            Err(StoreError::Conflict) => match self.get_domain(&tenant.domain_id).await? {
                None => Err(AddTenantError::NoDomain(tenant.domain_id.clone())),
                Some(_) => Err(AddTenantError::Taken(tenant.id.clone())),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// Whether a tenant id is reserved (a new domain may not take it as its id).
    pub(super) fn tenant_id_free(&self, tenant_id: &str) -> Result<TransactWriteItem, StoreError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(keys::key(keys::tenant_pk(tenant_id), TENANT)))
            .condition_expression("attribute_not_exists(PK)");
        Ok(TransactWriteItem::builder()
            .condition_check(built(check.build())?)
            .build())
    }
}
