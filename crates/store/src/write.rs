//! A write: one transaction, taken under the write lock, that must record at least one
//! audit entry before it may commit — every change is audited by construction.

use crate::db::Db;
use crate::sql::micros;
use crate::{Error, Result};
use domain::audit::{AuditEntry, GENESIS_HASH};
use domain::scope::Scope;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use time::OffsetDateTime;
use tokio::sync::OwnedMutexGuard;

/// An open change on behalf of `scope` at instant `now`.
pub struct Write<'s> {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) scope: &'s Scope,
    pub(crate) now: OffsetDateTime,
    audited: bool,
    _guard: OwnedMutexGuard<()>,
}

impl Db {
    /// Starts a change. Writes are ordered by a lock so the audit chain stays linear.
    pub async fn write<'s>(&self, scope: &'s Scope, now: OffsetDateTime) -> Result<Write<'s>> {
        let guard = self.write_lock.clone().lock_owned().await;
        let tx = self.pool.begin().await?;
        Ok(Write {
            tx,
            scope,
            now,
            audited: false,
            _guard: guard,
        })
    }
}

impl Write<'_> {
    pub fn scope(&self) -> &Scope {
        self.scope
    }

    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// Appends an audit entry: who (the scope's actor), when, what, before and after.
    pub async fn audit<B: Serialize, A: Serialize>(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        unit_path: Option<&str>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let before = before
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        let after = after
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *self.tx)
            .await?;
        let (prev_seq, prev_hash) = match head {
            Some(row) => (
                row.try_get::<i64, _>("seq")?,
                row.try_get::<String, _>("hash")?,
            ),
            None => (0, GENESIS_HASH.to_owned()),
        };
        let mut entry = AuditEntry {
            seq: prev_seq + 1,
            at_micros: micros(self.now),
            actor_user_id: self.scope.user_id.map(|u| u.to_string()),
            actor_name: self.scope.actor_name.clone(),
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_owned(),
            unit_path: unit_path.map(str::to_owned),
            before,
            after,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor_name, action, entity, entity_id, unit_path, \
             before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(entry.seq)
        .bind(entry.at_micros)
        .bind(entry.actor_user_id.clone())
        .bind(entry.actor_name.clone())
        .bind(entry.action.clone())
        .bind(entry.entity.clone())
        .bind(entry.entity_id.clone())
        .bind(entry.unit_path.clone())
        .bind(entry.before.clone())
        .bind(entry.after.clone())
        .bind(entry.prev_hash.clone())
        .bind(entry.hash.clone())
        .execute(&mut *self.tx)
        .await?;
        let updated = sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(entry.seq)
            .bind(entry.hash.clone())
            .execute(&mut *self.tx)
            .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)")
                .bind(entry.seq)
                .bind(entry.hash)
                .execute(&mut *self.tx)
                .await?;
        }
        self.audited = true;
        Ok(())
    }

    /// Commits the change; refuses when nothing was audited.
    pub async fn commit(self) -> Result<()> {
        if !self.audited {
            return Err(Error::Corrupt(
                "a change was about to be committed without an audit entry".into(),
            ));
        }
        self.tx.commit().await?;
        Ok(())
    }
}
