//! A write: one transaction that must record at least one audit entry before it may
//! commit — every change is audited by construction. Entries are chained at commit: each
//! chain's head is locked in the database (so several servers on one PostgreSQL keep every
//! chain linear), each entry gets its record's row digest as the change left it, and its
//! MAC under the audit key.

use crate::db::{Backend, Db};
use crate::sql::micros;
use crate::{Error, Result};
use domain::audit::{AuditEntry, GENESIS_MAC, chain_of};
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
    db: Db,
    pending: Vec<AuditEntry>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl Db {
    /// Starts a change. On SQLite (one process, one writer) writes take the process's
    /// write lock; on PostgreSQL the chain heads are locked in the database at commit.
    pub async fn write<'s>(&self, scope: &'s Scope, now: OffsetDateTime) -> Result<Write<'s>> {
        let guard = match self.backend() {
            Backend::Sqlite => Some(self.write_lock.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = self.pool.begin().await?;
        Ok(Write {
            tx,
            scope,
            now,
            db: self.clone(),
            pending: Vec::new(),
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

    /// Records an audit entry: who (the scope's actor), when, what, before and after. It
    /// is chained when the change commits.
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
        self.pending.push(AuditEntry {
            chain: chain_of(unit_path),
            seq: 0,
            at_micros: micros(self.now),
            actor_user_id: self.scope.user_id.map(|u| u.to_string()),
            actor_name: self.scope.actor_name.clone(),
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_owned(),
            unit_path: unit_path.map(str::to_owned),
            before,
            after,
            row_digest: None,
            prev_mac: String::new(),
            mac: String::new(),
        });
        Ok(())
    }

    /// Chains the pending entries and commits the change; refuses when nothing was audited.
    pub async fn commit(mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Err(Error::Corrupt(
                "a change was about to be committed without an audit entry".into(),
            ));
        }
        let mut pending = std::mem::take(&mut self.pending);
        for entry in &mut pending {
            entry.row_digest =
                crate::drift::row_digest(&mut self.tx, &entry.entity, &entry.entity_id).await?;
        }
        // Heads are locked in one order (by chain), so two writes never wait on each other
        // in a circle.
        let mut chains: Vec<String> = pending.iter().map(|e| e.chain.clone()).collect();
        chains.sort();
        chains.dedup();
        for chain in chains {
            let (mut seq, mut mac) = self.lock_head(&chain).await?;
            for entry in pending.iter_mut().filter(|e| e.chain == chain) {
                seq += 1;
                entry.seq = seq;
                entry.prev_mac = mac;
                entry.mac = entry.compute_mac(self.db.audit_key());
                mac = entry.mac.clone();
                self.insert(entry).await?;
            }
            sqlx::query("UPDATE audit_heads SET seq = $1, mac = $2 WHERE chain = $3")
                .bind(seq)
                .bind(mac)
                .bind(chain)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        Ok(())
    }

    /// The head of `chain`, locked until this change commits (a new chain starts at the
    /// genesis MAC).
    async fn lock_head(&mut self, chain: &str) -> Result<(i64, String)> {
        sqlx::query(
            "INSERT INTO audit_heads (chain, seq, mac) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING",
        )
        .bind(chain.to_owned())
        .bind(GENESIS_MAC)
        .execute(&mut *self.tx)
        .await?;
        let lock = match self.db.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let text = format!("SELECT seq, mac FROM audit_heads WHERE chain = $1{lock}");
        let row = sqlx::query(sqlx::AssertSqlSafe(text))
            .bind(chain.to_owned())
            .fetch_one(&mut *self.tx)
            .await?;
        Ok((row.try_get("seq")?, row.try_get("mac")?))
    }

    async fn insert(&mut self, entry: &AuditEntry) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (chain, seq, at, actor_user_id, actor_name, action, entity, entity_id, \
             unit_path, before_json, after_json, row_digest, prev_mac, mac) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(entry.chain.clone())
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
        .bind(entry.row_digest.clone())
        .bind(entry.prev_mac.clone())
        .bind(entry.mac.clone())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
