//! The connection pool, the backend it talks to, and the lock that orders writes.

use crate::Result;
use crate::migrate;
use domain::audit::AuditKey;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Pool figures for the metrics endpoint.
#[derive(Debug, Clone, Copy)]
pub struct DbStats {
    pub size: u32,
    pub idle: usize,
}

/// The database: a pool, the key of the audit MACs, and (on SQLite) the lock that orders
/// writes.
#[derive(Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    backend: Backend,
    pub(crate) write_lock: Arc<Mutex<()>>,
    audit_key: Arc<AuditKey>,
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and applies pending migrations;
    /// changes are audited with MACs under `audit_key`.
    pub async fn connect(url: &str, max_connections: u32, audit_key: AuditKey) -> Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(url).await?;
        let db = Self {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
            audit_key: Arc::new(audit_key),
        };
        migrate::run(&db).await?;
        Ok(db)
    }

    pub(crate) fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub fn stats(&self) -> DbStats {
        DbStats {
            size: self.pool.size(),
            idle: self.pool.num_idle(),
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
