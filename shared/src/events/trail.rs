//! Who acts, from where, in which request: what every event of one request shares.

use super::event::{Actor, EventType, Outcome, SecurityEvent, Source, Subject};
use crate::config::Config;
use crate::model::{iso8601_ms, now_ms, User};
use crate::secrets::random_hex;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use std::sync::atomic::{AtomicU32, Ordering};

/// Makes the events of one request.
#[derive(Clone, Debug)]
pub struct Trail {
    actor: Option<String>,
    source: Source,
    request_id: String,
    retention_secs: i64,
}

impl Trail {
    /// The request's source and id as API Gateway saw them (HTTP API payload 2.0); no actor yet.
    pub fn new(config: &Config, req: &Request) -> Self {
        let (source, request_id) = match req.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(ctx)) => (
                Source {
                    ip: ctx.http.source_ip.clone().unwrap_or_default(),
                    user_agent: ctx.http.user_agent.clone().unwrap_or_default(),
                },
                ctx.request_id.clone().unwrap_or_default(),
            ),
            _ => (Source::default(), String::new()),
        };
        Self {
            actor: None,
            source,
            request_id,
            retention_secs: config.event_retention.as_secs() as i64,
        }
    }

    /// The same request acted by `user_id` (an authenticated caller). Without one, an event's
    /// actor is its subject: a login has no caller yet.
    pub fn acting(mut self, user_id: &str) -> Self {
        self.actor = Some(user_id.to_owned());
        self
    }

    /// A successful `kind` about `subject` (add a factor, device, reason or failure to it).
    pub fn event(&self, kind: EventType, subject: &User) -> SecurityEvent {
        self.make(
            kind,
            Subject {
                user_id: Some(subject.id.clone()),
                domain_id: subject.domain_id.clone(),
            },
            &subject.id,
        )
    }

    /// A successful `kind` about a domain itself (kept in the domain's partition).
    pub fn domain_event(&self, kind: EventType, domain_id: &str) -> SecurityEvent {
        self.make(
            kind,
            Subject {
                user_id: None,
                domain_id: Some(domain_id.to_owned()),
            },
            "",
        )
    }

    fn make(&self, kind: EventType, subject: Subject, subject_id: &str) -> SecurityEvent {
        let now = now_ms();
        SecurityEvent {
            id: next_id(now),
            time: iso8601_ms(now),
            kind,
            outcome: Outcome::Success,
            actor: Actor {
                user_id: self.actor.as_deref().unwrap_or(subject_id).to_owned(),
            },
            subject,
            source: self.source.clone(),
            request_id: self.request_id.clone(),
            factor: None,
            device: None,
            reason: None,
            expires_at: now / 1000 + self.retention_secs,
        }
    }
}

/// Ids sort as their events happened: the millisecond, then a count within this process (so
/// that the events of one request keep their order), then randomness (unique across
/// processes). Fixed width, so that text order is time order.
fn next_id(now_ms: i64) -> String {
    static SEQUENCE: AtomicU32 = AtomicU32::new(0);
    let seq = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    format!("{now_ms:013}-{seq:08x}-{}", random_hex(4))
}

/// Whether `id` has the shape `next_id` gives (a marker names an event by it).
pub fn is_event_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    matches!(parts.as_slice(), [ms, seq, random]
        if ms.len() == 13 && ms.bytes().all(|b| b.is_ascii_digit())
            && seq.len() == 8 && random.len() == 8
            && (seq.bytes().chain(random.bytes())).all(lower_hex))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::member;

    fn config() -> Config {
        Config {
            event_retention: std::time::Duration::from_secs(2 * 86_400),
            ..crate::fixtures::config()
        }
    }

    #[test]
    fn ids_sort_in_the_order_events_were_made() {
        let ids: Vec<String> = (0..50).map(|_| next_id(1_764_707_000_123)).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert!(next_id(999) < next_id(1_000), "fixed width");
        assert!(ids.iter().all(|id| is_event_id(id)), "{ids:?}");
        for bad in [
            "",
            "x",
            "1764707000123-0000000g-3fa9c2d1",
            "1764707000123-0000000A-3fa9c2d1",
            "1-00000001-3fa9c2d1",
        ] {
            assert!(!is_event_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_login_acts_as_its_subject_and_a_caller_as_itself() {
        let config = config();
        let req = Request::default();
        let subject = member("u1", "identity:default", "acme").user;
        let login = Trail::new(&config, &req).event(EventType::LoginPassword, &subject);
        assert_eq!(login.actor.user_id, "u1");
        assert_eq!(login.subject.domain_id.as_deref(), Some("acme"));
        let by_admin = Trail::new(&config, &req)
            .acting("admin")
            .event(EventType::MfaUnlock, &subject);
        assert_eq!(by_admin.actor.user_id, "admin");
        let now = now_ms() / 1000;
        assert!((now + 2 * 86_400 - by_admin.expires_at).abs() <= 1);
        let domain = Trail::new(&config, &req)
            .acting("admin")
            .domain_event(EventType::DomainEnforcement, "acme");
        assert_eq!(domain.subject.user_id, None);
    }
}
