//! Xiao'an use cases: each takes the caller's `Scope`, checks what they may do, calls the
//! domain rules, and writes through the store with an audit entry. The only place that
//! decides who may do what.

pub mod audit;
pub mod auth;
pub mod blobs;
pub mod demo;
mod error;
pub mod org;
pub mod roster;
mod secret;
pub mod throttle;
pub mod users;

pub use error::{Error, Result};

use domain::clock::Clock;
use std::sync::Arc;
use store::Db;

/// Everything a use case needs: the database and the clock.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub throttle: Arc<throttle::LoginThrottle>,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            clock,
            throttle: Arc::new(throttle::LoginThrottle::default()),
        }
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
