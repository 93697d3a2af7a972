//! Xiao'an use cases: each takes the caller's `Scope`, checks what they may do, calls the
//! domain rules, and writes through the store with an audit entry. The only place that
//! decides who may do what.

pub mod activities;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod blobs;
pub mod calendar;
pub mod checklists;
pub mod demo;
mod demo_work;
pub mod directory;
mod error;
pub mod files;
pub mod hasher;
pub mod hazards;
pub mod inbox;
pub mod inspections;
pub mod ledger;
pub mod notify;
pub mod operator;
pub mod org;
pub mod outbound;
pub mod places;
pub mod policy;
pub mod reminder_run;
pub mod reminders;
pub mod reports;
pub mod roster;
mod secret;
pub mod status;
pub mod throttle;
pub mod users;
pub mod words;

pub use error::{Error, Result, optional};
/// The records the use cases hand to the pages and the API, so that the web layer needs
/// no access to the store.
pub use store::{
    ApiToken, Attachment, AuditCursor, AuditFilter, DbStats, HazardEvent, HazardFilter,
    LeadershipMember, LedgerTotals, Notification, PersonWithRoles, PublishedLibrary,
    ReminderSettings, RoleAssignment, User,
};

use domain::clock::Clock;
use std::sync::Arc;
use store::Db;

/// Everything a use case needs: the database, the file store and the clock.
#[derive(Clone)]
pub struct App {
    /// Private to the use cases: the pages and the API read and write only through them.
    db: Db,
    pub blobs: blobs::BlobStore,
    /// The signed checkpoints of the audit chains, outside the database.
    pub audit_checkpoints: std::path::PathBuf,
    /// Temporary files of uploads being received (`<data dir>/tmp`).
    pub uploads: std::path::PathBuf,
    /// Where the server's own requests (robot webhooks) may go.
    pub outbound: outbound::OutboundPolicy,
    pub clock: Arc<dyn Clock>,
    pub throttle: Arc<throttle::LoginThrottle>,
    /// Password checks, on a few threads behind a bounded queue.
    pub hasher: hasher::Hasher,
    pub parsed_policies: Arc<policy::ParsedVersions>,
    /// The county's time zone, the bureau's setting (`load_zone` reads it; a change made
    /// here updates it at once).
    zone: Arc<std::sync::RwLock<domain::zone::Zone>>,
}

impl App {
    /// `data_dir` keeps uploaded files (`files/`), temporary uploads (`tmp/`) and the
    /// audit checkpoints (`audit-checkpoints.log`), on either database.
    pub fn new(db: Db, data_dir: &std::path::Path, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            blobs: blobs::BlobStore::new(data_dir.join("files")),
            audit_checkpoints: data_dir.join(CHECKPOINT_FILE),
            outbound: outbound::OutboundPolicy::default(),
            uploads: files::uploads_dir(data_dir),
            clock,
            throttle: Arc::new(throttle::LoginThrottle::default()),
            hasher: hasher::Hasher::for_this_machine(),
            parsed_policies: Arc::new(policy::ParsedVersions::default()),
            zone: Arc::default(),
        }
    }

    /// Today in the county's time zone.
    pub fn today(&self) -> time::Date {
        self.zone().today(self.now())
    }

    /// The county's time zone (the bureau's setting; Asia/Shanghai unless it chose another).
    pub fn zone(&self) -> domain::zone::Zone {
        // A writer that panicked left a whole zone behind: still the last one set.
        self.zone
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// `at` on the county's clocks.
    pub fn local(&self, at: time::OffsetDateTime) -> time::OffsetDateTime {
        self.zone().local(at)
    }

    /// Reads the county's time zone from the bureau (at start, and on each server from
    /// time to time, so a change made on another server arrives).
    pub async fn load_zone(&self) -> Result<()> {
        let zone = self
            .db
            .county_zone(&domain::scope::Scope::system("time zone"))
            .await?;
        self.set_zone(zone);
        Ok(())
    }

    pub(crate) fn set_zone(&self, zone: domain::zone::Zone) {
        *self
            .zone
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = zone;
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> Result<()> {
        Ok(self.db.ping().await?)
    }

    /// Whether this server holds the lease `name` (a scheduled job) for the next `hold`:
    /// one server of several runs it.
    pub async fn take_lease(&self, name: &str, holder: &str, hold: time::Duration) -> Result<bool> {
        Ok(self.db.take_lease(name, holder, self.now(), hold).await?)
    }

    /// Closes the database's connections (at shutdown).
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// The connection pool's figures (`/metrics`).
    pub fn pool(&self) -> DbStats {
        self.db.stats()
    }
}

/// The school `id` as the caller sees it, when the caller holds `permission` there: the
/// one answer to "which school may this caller act on" (not a school, or out of sight:
/// not found; in sight without the permission: forbidden).
pub async fn school_for(
    app: &App,
    scope: &domain::scope::Scope,
    id: domain::ids::OrgUnitId,
    permission: domain::role::Permission,
) -> Result<domain::org::OrgUnit> {
    let school = app.db.unit(scope, id).await?;
    if school.kind != domain::org::UnitKind::School {
        return Err(Error::NotFound);
    }
    require(scope, permission, &school.path)?;
    Ok(school)
}

/// The name of the checkpoint file in the data dir.
pub const CHECKPOINT_FILE: &str = "audit-checkpoints.log";

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

/// Whether a secret given by a client equals the configured one (in constant time).
pub fn secret_matches(given: &str, expected: &str) -> bool {
    secret::constant_time_eq(given, expected)
}
