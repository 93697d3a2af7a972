//! Xiao'an use cases: each takes the caller's `Scope`, checks what they may do, calls the
//! domain rules, and writes through the store with an audit entry. The only place that
//! decides who may do what.

pub mod activities;
pub mod audit;
pub mod auth;
pub mod blobs;
pub mod calendar;
pub mod checklists;
pub mod demo;
mod demo_work;
mod error;
pub mod files;
pub mod hazards;
pub mod inspections;
pub mod notify;
pub mod org;
pub mod places;
pub mod policy;
pub mod reminders;
pub mod reports;
pub mod roster;
mod secret;
pub mod status;
pub mod throttle;
pub mod users;

pub use error::{Error, Result};

use domain::clock::Clock;
use std::sync::Arc;
use store::Db;

/// Everything a use case needs: the database, the file store and the clock.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub blobs: blobs::BlobStore,
    pub clock: Arc<dyn Clock>,
    pub throttle: Arc<throttle::LoginThrottle>,
    pub parsed_policies: Arc<policy::ParsedVersions>,
}

impl App {
    /// `files` is the directory that keeps uploaded attachments (`<data dir>/files`).
    pub fn new(db: Db, files: std::path::PathBuf, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            blobs: blobs::BlobStore::new(files),
            clock,
            throttle: Arc::new(throttle::LoginThrottle::default()),
            parsed_policies: Arc::new(policy::ParsedVersions::default()),
        }
    }

    /// Today in the county's time zone (China Standard Time, UTC+8).
    pub fn today(&self) -> time::Date {
        self.now().to_offset(time::macros::offset!(+8)).date()
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }
}

/// Refuses unless the scope holds `permission` for the unit at `path`.
pub(crate) fn require(
    scope: &domain::scope::Scope,
    permission: domain::role::Permission,
    path: &str,
) -> Result<()> {
    if scope.can(permission, path) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
