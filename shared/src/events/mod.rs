//! The security event trail (NIST SP 800-63B rev 4 §4.1): every security-relevant change or
//! attempt leaves one event, written in the same DynamoDB transaction as the change (so an
//! event can be neither lost nor invented by a failed change), in the subject user's partition
//! (a domain's change: the domain's), kept `EVENT_RETENTION_DAYS`.

mod event;
mod page;
mod trail;

pub use event::{
    Actor, Device, DeviceKind, EventType, Factor, Outcome, Partition, SecurityEvent, Source,
    Subject,
};
pub use page::{answer_page, PageRequest};
pub use trail::{is_event_id, Trail};
