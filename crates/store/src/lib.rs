//! Xiao'an persistence: one SQL text for SQLite and PostgreSQL through sqlx's `Any` driver,
//! values stored in portable types (ids as text, instants as UTC microseconds), and a
//! `Scope` on every call. One file per aggregate.

mod activities;
mod audit;
mod backup;
mod calendar;
mod checklists;
mod db;
mod drift;
mod error;
mod evidence;
mod hazards;
mod inspections;
mod leadership;
mod leases;
mod migrate;
mod org_units;
mod people;
mod places;
mod policies;
mod reminders;
mod reports;
mod roles;
mod rows;
mod sessions;
mod sql;
mod tokens;
mod users;
mod write;

pub use activities::{Attachment, NewAttachment};
pub use audit::{AuditCursor, AuditFilter, AuditPage, AuditReport, ChainHead};
pub use backup::{Restore, Snapshot, TableDump, backed_up_tables};
pub use calendar::{StoredHoliday, StoredTerm};
pub use checklists::PublishedLibrary;
pub use db::{Backend, Db, DbStats};
pub use drift::{Drift, DriftKind};
pub use error::{Error, Result};
pub use hazards::{HazardEvent, HazardFilter, LedgerTotals};
pub use leadership::LeadershipMember;
pub use migrate::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE, Migration, names as migration_names};
pub use people::PersonWithRoles;
pub use policies::PolicyVersion;
pub use reminders::{NewReminder, Notification, ReminderSettings};
pub use roles::RoleAssignment;
pub use rows::{PortableRow, Value, tables};
pub use sessions::SessionRecord;
pub use tokens::ApiToken;
pub use users::{NewUser, User};
pub use write::Write;
