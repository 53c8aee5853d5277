//! Random codes, keyed hashes, constant-time comparison and password hashing.

mod codes;
mod hashing;
pub mod otpauth;
mod password;
pub mod pepper;
pub mod sealing;
pub mod totp;

pub use codes::{random_bytes, random_digits, random_hex};
pub use hashing::{constant_time_eq, keyed_hash, sha256_hex, CodePurpose};
pub use password::{hash_password, verify_password, verify_password_or_dummy};
