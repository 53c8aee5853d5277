//! Security events: written inside the transaction of the change they record (or alone, for an
//! attempt that changed nothing), read a page at a time, newest first.

use super::accounts::put_if_absent;
use super::client::{classify, n, s, to_item, DynamoStore, Item};
use super::keys::{self, attr, EVENT_PREFIX};
use super::StoreError;
use crate::events::{Partition, SecurityEvent};
use aws_sdk_dynamodb::types::TransactWriteItem;

/// One page of a partition's events, and whether more remain after it.
#[derive(Debug)]
pub struct EventPage {
    pub events: Vec<SecurityEvent>,
    pub more: bool,
}

fn partition_key(partition: &Partition) -> String {
    match partition {
        Partition::User(user_id) => keys::user_pk(user_id),
        Partition::Domain(domain_id) => keys::domain_pk(domain_id),
    }
}

impl DynamoStore {
    /// The put of `event` for a transaction (never overwrites: ids are unique).
    pub(super) fn event_put(&self, event: &SecurityEvent) -> Result<TransactWriteItem, StoreError> {
        let mut item = to_item(
            event,
            partition_key(&event.partition()),
            &keys::event_sk(&event.id),
        )?;
        item.insert(attr::EXPIRES_AT.to_owned(), n(event.expires_at));
        put_if_absent(&self.table, item)
    }

    /// Records events of an attempt that changed nothing else (a failed login, a refused SMS).
    pub async fn record_events(&self, events: &[SecurityEvent]) -> Result<(), StoreError> {
        self.transact(events, Vec::new()).await
    }

    /// Up to `limit` events of a partition, newest first, after the event `marker` (`None`
    /// when that event is not in the partition: the caller's 400).
    pub async fn event_page(
        &self,
        partition: Partition<'_>,
        limit: usize,
        marker: Option<&str>,
    ) -> Result<Option<EventPage>, StoreError> {
        let pk = partition_key(&partition);
        let start = marker.map(|id| keys::key(pk.clone(), &keys::event_sk(id)));
        if let Some(key) = &start {
            let found = self
                .client
                .get_item()
                .table_name(&self.table)
                .set_key(Some(key.clone()))
                .projection_expression("PK")
                .consistent_read(true)
                .send()
                .await
                .map_err(classify)?;
            if found.item.is_none() {
                return Ok(None);
            }
        }
        // One more than the page, to know whether more remain.
        let wanted = limit + 1;
        let mut items: Vec<Item> = Vec::new();
        let mut start = start;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                .expression_attribute_values(":pk", s(pk.clone()))
                .expression_attribute_values(":prefix", s(EVENT_PREFIX))
                .scan_index_forward(false)
                // Expired but not yet deleted (DynamoDB's TTL lags by up to days): gone.
                .filter_expression("#expires > :now")
                .expression_attribute_names("#expires", attr::EXPIRES_AT)
                .expression_attribute_values(":now", n(crate::model::now_ms() / 1000))
                .consistent_read(true)
                .limit((wanted - items.len()) as i32)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            items.extend(page.items.unwrap_or_default());
            match page.last_evaluated_key {
                Some(key) if !key.is_empty() && items.len() < wanted => start = Some(key),
                _ => break,
            }
        }
        let more = items.len() > limit;
        items.truncate(limit);
        let events = items
            .into_iter()
            .map(super::client::from_item)
            .collect::<Result<_, _>>()?;
        Ok(Some(EventPage { events, more }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{EventType, Trail};
    use crate::fixtures::member;

    #[test]
    fn an_event_item_is_its_wire_form_with_keys_and_a_ttl() {
        let store = DynamoStore::new(
            aws_sdk_dynamodb::Client::from_conf(
                aws_sdk_dynamodb::Config::builder()
                    .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
                    .build(),
            ),
            "t",
        );
        let config = crate::fixtures::config();
        let user = member("u1", "identity:default", "acme").user;
        let event = Trail::new(&config, &lambda_http::Request::default())
            .event(EventType::MfaEnable, &user);
        let put = store.event_put(&event).unwrap().put.unwrap();
        let item = put.item;
        assert_eq!(item["PK"], s("USER#u1"));
        assert_eq!(item["SK"], s(format!("~EVENT#{}", event.id)));
        assert_eq!(item["expiresAt"], n(event.expires_at));
        assert_eq!(item["type"], s("mfa.enable"));
        let back: SecurityEvent = super::super::client::from_item(item).unwrap();
        assert_eq!(
            back,
            SecurityEvent {
                expires_at: 0,
                ..event
            }
        );
    }
}
