//! Reading the audit log: a filtered, scoped page for people, and the whole chain for
//! `xiaoan audit verify`.

use crate::sql::{Arg, Sql, int, opt_text, text};
use crate::{Db, Result};
use domain::audit::{AuditEntry, ChainBreak, ChainVerifier};
use domain::scope::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;

/// What to show of the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub from_micros: Option<i64>,
    pub to_micros: Option<i64>,
    /// Show entries with a sequence number below this (paging back in time).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// One page of entries, newest first.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before_seq: Option<i64>,
}

fn entry_from_row(row: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: int(row, "seq")?,
        at_micros: int(row, "at")?,
        actor_user_id: opt_text(row, "actor_user_id")?,
        actor_name: text(row, "actor_name")?,
        action: text(row, "action")?,
        entity: text(row, "entity")?,
        entity_id: text(row, "entity_id")?,
        unit_path: opt_text(row, "unit_path")?,
        before: opt_text(row, "before_json")?,
        after: opt_text(row, "after_json")?,
        prev_hash: text(row, "prev_hash")?,
        hash: text(row, "hash")?,
    })
}

const SELECT: &str = "SELECT seq, at, actor_user_id, actor_name, action, entity, entity_id, unit_path, before_json, \
     after_json, prev_hash, hash FROM audit_log WHERE 1 = 1";

impl Db {
    /// A page of the entries the scope sees, newest first.
    pub async fn audit_page(&self, scope: &Scope, filter: &AuditFilter) -> Result<AuditPage> {
        let mut sql = Sql::new(SELECT);
        sql.and_in_scope(scope, "unit_path");
        if let Some(entity) = &filter.entity {
            sql.push(" AND entity = ").bind(Arg::Text(entity.clone()));
        }
        if let Some(action) = &filter.action {
            sql.push(" AND action = ").bind(Arg::Text(action.clone()));
        }
        if let Some(actor) = &filter.actor {
            sql.push(" AND actor_name = ")
                .bind(Arg::Text(actor.clone()));
        }
        if let Some(from) = filter.from_micros {
            sql.push(" AND at >= ").bind(Arg::Int(from));
        }
        if let Some(to) = filter.to_micros {
            sql.push(" AND at < ").bind(Arg::Int(to));
        }
        if let Some(before) = filter.before_seq {
            sql.push(" AND seq < ").bind(Arg::Int(before));
        }
        let limit = filter.limit.clamp(1, 500);
        sql.push(" ORDER BY seq DESC LIMIT ")
            .bind(Arg::Int(limit + 1));
        let rows = sql.query().fetch_all(&self.pool).await?;
        let mut entries: Vec<AuditEntry> =
            rows.iter().map(entry_from_row).collect::<Result<_>>()?;
        let next_before_seq = if entries.len() as i64 > limit {
            entries.truncate(limit as usize);
            entries.last().map(|e| e.seq)
        } else {
            None
        };
        Ok(AuditPage {
            entries,
            next_before_seq,
        })
    }

    /// Walks the whole chain in order; `Ok(n)` when all `n` entries verify.
    pub async fn verify_audit_chain(&self) -> Result<Result<u64, ChainBreak>> {
        let mut verifier = ChainVerifier::default();
        let mut after = 0_i64;
        loop {
            let mut sql = Sql::new(SELECT);
            sql.push(" AND seq > ")
                .bind(Arg::Int(after))
                .push(" ORDER BY seq LIMIT 2000");
            let rows = sql.query().fetch_all(&self.pool).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let entry = entry_from_row(row)?;
                if let Err(broken) = verifier.check(&entry) {
                    return Ok(Err(broken));
                }
                after = entry.seq;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let head = match head {
            Some(row) => Some((
                row.try_get::<i64, _>("seq")?,
                row.try_get::<String, _>("hash")?,
            )),
            None => None,
        };
        Ok(verifier.finish(head))
    }
}
