//! XML for every operation (API.md 1.1, 4.1): one representation per resource, the JSON value the
//! views build, read from and written to XML by two generic translations, so that no handler
//! has a second, XML copy of its shapes.
//!
//! The rules both directions share: a key `RAX-AUTH:<name>` is `<name>` in the RAX-AUTH namespace
//! (and `RAX-KSKEY:<name>` in RAX-KSKEY's);
//! any other key is in the namespace of its parent (the identity namespace at the root); scalar
//! members are attributes, objects and arrays are child elements.

pub mod read;
pub mod write;

/// Core Identity (`access`, `user`, faults).
pub const NS_IDENTITY: &str = "http://docs.openstack.org/identity/api/v2.0";
/// The RAX-AUTH extension (phones, OTP devices, bypass codes, multi-factor settings).
pub const NS_RAX: &str = "http://docs.rackspace.com/identity/api/ext/RAX-AUTH/v1.0";
/// How JSON spells the extension's names.
pub const RAX_KEY_PREFIX: &str = "RAX-AUTH:";
/// The RAX-KSKEY extension (API-key credentials).
pub const NS_KSKEY: &str = "http://docs.rackspace.com/identity/api/ext/RAX-KSKEY/v1.0";
pub const KSKEY_KEY_PREFIX: &str = "RAX-KSKEY:";
