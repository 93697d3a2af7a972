//! Xiao'an domain: identifiers, parsed values, organisation rules, roles and permissions,
//! the `Scope` every data access carries, and the audit chain — pure code with no I/O.

pub mod account;
pub mod audit;
pub mod clock;
pub mod error;
pub mod ids;
pub mod org;
pub mod person;
pub mod role;
pub mod roster;
pub mod scope;

pub use error::{FieldError, Invalid};
