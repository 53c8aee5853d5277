//! DynamoDB storage: one table, `PK`/`SK` keys, TTL attribute `expiresAt`.
//!
//! Every change that touches several items is one `TransactWriteItems` with conditions, so a
//! failure half-way leaves the old state and a concurrent change makes ours fail (`Conflict`)
//! instead of overwriting it.

mod accounts;
mod api_keys;
mod catalog;
mod client;
mod domains;
mod keys;
mod mfa;
mod otp;
mod phones;
mod sessions;
mod sms;
mod table;
mod tenants;
mod tokens;

pub use accounts::CreateUserError;
pub use client::DynamoStore;
pub use mfa::LoginProof;
pub use tenants::AddTenantError;

/// How often a change that removes a user's bypass codes (disable, remove MFA) re-reads and
/// retries after a conflict. A code generation retries at most `GENERATION_RETRIES` times, so
/// this outlasts a few concurrent generations instead of answering 503.
pub const REMOVAL_RETRIES: usize = 12;
pub const GENERATION_RETRIES: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// DynamoDB unreachable, timing out or throttling: 503, retryable.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A condition did not hold: someone changed the data first.
    #[error("conditional write failed")]
    Conflict,
    /// An item that does not decode into its model.
    #[error("corrupt item: {0}")]
    Corrupt(String),
    #[error("storage error: {0}")]
    Internal(String),
}
