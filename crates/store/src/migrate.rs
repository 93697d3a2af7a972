//! Migrations, embedded in the binary: one folder per backend, same names, applied in order
//! and recorded in `schema_migrations`.

use crate::Result;
use crate::db::{Backend, Db};
use sqlx::Row;

/// One migration: its name and SQL text.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS_SQLITE: &[Migration] = &[
    Migration {
        name: "0001_foundation",
        sql: include_str!("../migrations/sqlite/0001_foundation.sql"),
    },
    Migration {
        name: "0002_policy",
        sql: include_str!("../migrations/sqlite/0002_policy.sql"),
    },
    Migration {
        name: "0003_reminders",
        sql: include_str!("../migrations/sqlite/0003_reminders.sql"),
    },
    Migration {
        name: "0004_hazards",
        sql: include_str!("../migrations/sqlite/0004_hazards.sql"),
    },
    Migration {
        name: "0005_inspections",
        sql: include_str!("../migrations/sqlite/0005_inspections.sql"),
    },
    Migration {
        name: "0006_reports",
        sql: include_str!("../migrations/sqlite/0006_reports.sql"),
    },
    Migration {
        name: "0007_places",
        sql: include_str!("../migrations/sqlite/0007_places.sql"),
    },
    Migration {
        name: "0008_checklists",
        sql: include_str!("../migrations/sqlite/0008_checklists.sql"),
    },
    Migration {
        name: "0009_audit_chains",
        sql: include_str!("../migrations/sqlite/0009_audit_chains.sql"),
    },
    Migration {
        name: "0010_hazard_categories",
        sql: include_str!("../migrations/sqlite/0010_hazard_categories.sql"),
    },
    Migration {
        name: "0011_bureau_time_zone",
        sql: include_str!("../migrations/sqlite/0011_bureau_time_zone.sql"),
    },
];

pub const MIGRATIONS_POSTGRES: &[Migration] = &[
    Migration {
        name: "0001_foundation",
        sql: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        name: "0002_policy",
        sql: include_str!("../migrations/postgres/0002_policy.sql"),
    },
    Migration {
        name: "0003_reminders",
        sql: include_str!("../migrations/postgres/0003_reminders.sql"),
    },
    Migration {
        name: "0004_hazards",
        sql: include_str!("../migrations/postgres/0004_hazards.sql"),
    },
    Migration {
        name: "0005_inspections",
        sql: include_str!("../migrations/postgres/0005_inspections.sql"),
    },
    Migration {
        name: "0006_reports",
        sql: include_str!("../migrations/postgres/0006_reports.sql"),
    },
    Migration {
        name: "0007_places",
        sql: include_str!("../migrations/postgres/0007_places.sql"),
    },
    Migration {
        name: "0008_checklists",
        sql: include_str!("../migrations/postgres/0008_checklists.sql"),
    },
    Migration {
        name: "0009_audit_chains",
        sql: include_str!("../migrations/postgres/0009_audit_chains.sql"),
    },
    Migration {
        name: "0010_hazard_categories",
        sql: include_str!("../migrations/postgres/0010_hazard_categories.sql"),
    },
    Migration {
        name: "0011_bureau_time_zone",
        sql: include_str!("../migrations/postgres/0011_bureau_time_zone.sql"),
    },
];

/// Applies pending migrations, one server at a time (on PostgreSQL an advisory lock, so
/// servers started together do not race; on SQLite the process's write lock).
pub(crate) async fn run(db: &Db) -> Result<()> {
    let _guard = db.write_lock.lock().await;
    let mut conn = db.pool.acquire().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock(7370001)")
            .execute(&mut *conn)
            .await?;
    }
    let applied = apply(db, &mut conn).await;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(7370001)")
            .execute(&mut *conn)
            .await?;
    }
    applied
}

async fn apply(db: &Db, conn: &mut sqlx::pool::PoolConnection<sqlx::Any>) -> Result<()> {
    // Created only when missing: a role without CREATE rights (the application's role on
    // PostgreSQL, see docs/OPERATIONS.md) can still start on a migrated database.
    if sqlx::query("SELECT name FROM schema_migrations LIMIT 1")
        .fetch_optional(&mut **conn)
        .await
        .is_err()
    {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut **conn)
        .await?;
    }
    let migrations = match db.backend() {
        Backend::Sqlite => MIGRATIONS_SQLITE,
        Backend::Postgres => MIGRATIONS_POSTGRES,
    };
    let applied: Vec<String> = sqlx::query("SELECT name FROM schema_migrations")
        .fetch_all(&mut **conn)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<Result<_, _>>()?;
    for migration in migrations
        .iter()
        .filter(|m| !applied.iter().any(|a| a == m.name))
    {
        let mut tx = sqlx::Connection::begin(&mut **conn).await?;
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
            .bind(migration.name)
            .bind(crate::sql::micros(time::OffsetDateTime::now_utc()))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(migration = migration.name, "applied migration");
    }
    Ok(())
}

/// The names of the migrations this build applies, in order (a backup records them; a
/// restore needs the same).
pub fn names() -> Vec<&'static str> {
    MIGRATIONS_SQLITE.iter().map(|m| m.name).collect()
}
