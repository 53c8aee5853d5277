//! DynamoDB storage: one table, `PK`/`SK` keys, TTL attribute `expiresAt`.
//!
//! Every change that touches several items is one `TransactWriteItems` with conditions, so a
//! failure half-way leaves the old state and a concurrent change makes ours fail (`Conflict`)
//! instead of overwriting it.

mod accounts;
mod api_keys;
mod catalog;
mod client;
mod device_counts;
mod domains;
mod events;
mod keys;
mod logins;
mod mfa;
mod otp;
mod phones;
mod sessions;
mod sms;
mod table;
mod tenants;
mod tokens;
mod webauthn;

pub use accounts::CreateUserError;
pub use client::DynamoStore;
pub use events::EventPage;
pub use logins::LoginName;
pub use mfa::LoginProof;
pub use tenants::AddTenantError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A condition did not hold: someone changed the data first.
    #[error("conditional write failed")]
    Conflict,
    /// An item that does not decode into its model.
    #[error("corrupt item: {0}")]
    Corrupt(String),
    /// DynamoDB unavailable (503) or failing our request (500).
    #[error(transparent)]
    Dependency(#[from] crate::dependency_error::DependencyError),
}

impl StoreError {
    /// A request we could not even build, or a value we could not encode.
    pub fn internal(why: impl Into<String>) -> Self {
        Self::Dependency(crate::dependency_error::DependencyError::Failed(why.into()))
    }
}
