//! Xiao'an domain: identifiers, parsed values, organisation rules, roles and permissions,
//! the `Scope` every data access carries, the audit chain, the school calendar, the policy
//! and its engine — pure code with no I/O.

pub mod account;
pub mod activity;
pub mod audit;
pub mod audit_legacy;
pub mod calendar;
pub mod checklist;
pub mod clock;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod hazard;
pub mod ids;
pub mod inspection;
pub mod org;
pub mod person;
pub mod place;
pub mod policy;
pub mod reminder;
pub mod report;
pub mod role;
pub mod roster;
pub mod scope;
pub mod unit_path;
pub mod upload;
pub mod zone;

pub use error::{FieldError, Invalid};
