//! The service catalog template (`CONFIG` / `CATALOG` item), set by an operator.

use super::client::{classify, n, s, DynamoStore};
use super::keys::{self, CATALOG, CONFIG};
use super::StoreError;
use crate::model::CatalogTemplate;

impl DynamoStore {
    /// The operator's template, or none if none was set.
    pub async fn get_catalog(&self) -> Result<Option<CatalogTemplate>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(keys::key(CONFIG.to_owned(), CATALOG)))
            .send()
            .await
            .map_err(classify)?;
        let Some(template) = out.item.as_ref().and_then(|i| i.get("template")) else {
            return Ok(None);
        };
        let json = template
            .as_s()
            .map_err(|_| StoreError::Corrupt("catalog template is not a string".into()))?;
        CatalogTemplate::parse(json)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("catalog template: {e}")))
    }

    /// Replaces the template (kept as the JSON the operator wrote, once checked).
    pub async fn put_catalog(
        &self,
        template: &CatalogTemplate,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(template).map_err(|e| StoreError::internal(e.to_string()))?;
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                [
                    ("PK".to_owned(), s(CONFIG)),
                    ("SK".to_owned(), s(CATALOG)),
                    ("template".to_owned(), s(json)),
                    ("updatedAt".to_owned(), n(now_ms)),
                ]
                .into(),
            ))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
