//! Record drift (issue 7): each audit entry carries the digest of its record's row as the
//! change left it; `xiaoan audit verify` reads every record row again and names each one
//! that was changed, added or removed behind the application's back.

use crate::db::Db;
use crate::rows::{PortableRow, Value, digest, portable};
use crate::{Error, Result};
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

/// A record table whose rows are audited under an entity name.
pub(crate) struct Audited {
    pub entity: &'static str,
    pub table: &'static str,
    /// The column the audit entries' `entity_id` names.
    pub key: &'static str,
    /// Columns the application changes without an audit entry of their own.
    pub volatile: &'static [&'static str],
    /// Rows of other tables that belong to the record: (table, column naming the record).
    pub children: &'static [(&'static str, &'static str)],
    /// Columns a later migration added: left out of the digest while NULL, so the digests
    /// written before the column existed still hold.
    pub added_later: &'static [&'static str],
}

const fn record(entity: &'static str, table: &'static str) -> Audited {
    Audited {
        entity,
        table,
        key: "id",
        volatile: &[],
        children: &[],
        added_later: &[],
    }
}

pub(crate) const AUDITED: &[Audited] = &[
    Audited {
        added_later: &["time_zone"],
        ..record("org_unit", "org_units")
    },
    record("person", "people"),
    record("user", "users"),
    record("role_assignment", "role_assignments"),
    record("leadership_member", "leadership_members"),
    record("term", "terms"),
    record("holiday", "holidays"),
    record("policy_version", "policy_versions"),
    record("activity", "activities"),
    Audited {
        key: "user_id",
        ..record("reminder_settings", "reminder_settings")
    },
    Audited {
        children: &[("hazard_events", "hazard_id")],
        added_later: &["category"],
        ..record("hazard", "hazards")
    },
    Audited {
        children: &[("inspection_answers", "inspection_id")],
        ..record("inspection", "inspections")
    },
    record("monthly_report", "monthly_reports"),
    record("place", "places"),
    record("equipment", "equipment"),
    record("checklist_library", "checklist_libraries"),
];

/// Tables that hold no audited record of their own, and why.
#[cfg(test)]
pub(crate) const NOT_RECORDS: &[(&str, &str)] = &[
    (
        "sessions",
        "sign-in sessions: touched on every request, ended by time",
    ),
    (
        "api_tokens",
        "credentials: last use touched on every call; issue and revocation are audited entries",
    ),
    ("audit_log", "the audit log itself (checked by its MACs)"),
    (
        "audit_heads",
        "chain heads (checked against the chains and the checkpoints)",
    ),
    (
        "audit_log_v1",
        "the version-1 audit log (checked by its hash chain)",
    ),
    ("audit_head_v1", "the version-1 chain head"),
    (
        "evidence",
        "a projection of records for the policy engine, rebuilt with them",
    ),
    (
        "attachments",
        "file rows written with their record's audited change; files are named by their SHA-256",
    ),
    ("reminders_sent", "bookkeeping of reminders sent"),
    ("notifications", "in-app reminders"),
    ("leases", "which server runs shared background work"),
];

fn spec(entity: &str) -> Option<&'static Audited> {
    AUDITED.iter().find(|a| a.entity == entity)
}

async fn rows_where(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    column: &str,
    id: &str,
) -> Result<Vec<PortableRow>> {
    // Safe: table and column names come from the constants above, never from input.
    let text = format!("SELECT * FROM {table} WHERE {column} = $1");
    let rows = sqlx::query(sqlx::AssertSqlSafe(text))
        .bind(id.to_owned())
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(portable).collect()
}

/// What a row digest says when the record has no row (it was deleted).
pub(crate) const ABSENT: &str = "absent";

fn record_digest(spec: &Audited, row: &[PortableRow], children: &[Vec<PortableRow>]) -> String {
    if row.is_empty() {
        return ABSENT.to_owned();
    }
    let row: Vec<PortableRow> = row
        .iter()
        .map(|columns| {
            columns
                .iter()
                .filter(|(name, value)| {
                    !(*value == Value::Null && spec.added_later.contains(&name.as_str()))
                })
                .cloned()
                .collect()
        })
        .collect();
    let mut text = digest(&row, spec.volatile);
    for child in children {
        text.push(':');
        text.push_str(&digest(child, &[]));
    }
    text
}

/// The digest of the record `entity`/`id` as this transaction sees it; `None` for an
/// entity that is not a table row (a bulk change such as "notifications read").
pub(crate) async fn row_digest(
    tx: &mut Transaction<'static, Any>,
    entity: &str,
    id: &str,
) -> Result<Option<String>> {
    let Some(spec) = spec(entity) else {
        return Ok(None);
    };
    let row = rows_where(tx, spec.table, spec.key, id).await?;
    let mut children = Vec::new();
    for (table, column) in spec.children {
        children.push(rows_where(tx, table, column, id).await?);
    }
    Ok(Some(record_digest(spec, &row, &children)))
}

/// A record that is not as its last audit entry left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub entity: String,
    pub id: String,
    pub kind: DriftKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftKind {
    /// The row differs from the last audited state.
    Changed,
    /// The row exists but no audit entry ever recorded it.
    Unaudited,
    /// The last audit entry left the row in place, and it is gone.
    Removed,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            DriftKind::Changed => "was changed outside the application",
            DriftKind::Unaudited => "was added outside the application (no audit entry)",
            DriftKind::Removed => "was removed outside the application",
        };
        write!(f, "{} {} {what}", self.entity, self.id)
    }
}

fn text_of(row: &PortableRow, column: &str) -> Option<String> {
    row.iter()
        .find(|(c, _)| c == column)
        .and_then(|(_, v)| match v {
            crate::rows::Value::Text(t) => Some(t.clone()),
            crate::rows::Value::Int(i) => Some(i.to_string()),
            crate::rows::Value::Null => None,
        })
}

impl Db {
    /// Compares every record row with the digest its last audit entry recorded
    /// (`last`: entity → id → digest).
    pub(crate) async fn drift(
        &self,
        last: &HashMap<String, HashMap<String, String>>,
    ) -> Result<Vec<Drift>> {
        let mut found = Vec::new();
        let mut tx = self.pool.begin().await?;
        for spec in AUDITED {
            let mut rows: BTreeMap<String, Vec<PortableRow>> = BTreeMap::new();
            let text = format!("SELECT * FROM {}", spec.table);
            for row in sqlx::query(sqlx::AssertSqlSafe(text))
                .fetch_all(&mut *tx)
                .await?
            {
                let row = portable(&row)?;
                let id = text_of(&row, spec.key).ok_or_else(|| {
                    Error::Corrupt(format!("{} without {}", spec.table, spec.key))
                })?;
                rows.entry(id).or_default().push(row);
            }
            let mut children: Vec<HashMap<String, Vec<PortableRow>>> = Vec::new();
            for (table, column) in spec.children {
                let mut by_parent: HashMap<String, Vec<PortableRow>> = HashMap::new();
                let text = format!("SELECT * FROM {table}");
                for row in sqlx::query(sqlx::AssertSqlSafe(text))
                    .fetch_all(&mut *tx)
                    .await?
                {
                    let row = portable(&row)?;
                    if let Some(parent) = text_of(&row, column) {
                        by_parent.entry(parent).or_default().push(row);
                    }
                }
                children.push(by_parent);
            }
            let audited = last.get(spec.entity);
            for (id, row) in &rows {
                let kids: Vec<Vec<PortableRow>> = children
                    .iter()
                    .map(|c| c.get(id).cloned().unwrap_or_default())
                    .collect();
                let now = record_digest(spec, row, &kids);
                let kind = match audited.and_then(|a| a.get(id)) {
                    None => Some(DriftKind::Unaudited),
                    Some(then) if *then == now => None,
                    Some(then) if then == ABSENT => Some(DriftKind::Unaudited),
                    Some(_) => Some(DriftKind::Changed),
                };
                if let Some(kind) = kind {
                    found.push(Drift {
                        entity: spec.entity.to_owned(),
                        id: id.clone(),
                        kind,
                    });
                }
            }
            for (id, then) in audited.into_iter().flatten() {
                if then != ABSENT && !rows.contains_key(id) {
                    found.push(Drift {
                        entity: spec.entity.to_owned(),
                        id: id.clone(),
                        kind: DriftKind::Removed,
                    });
                }
            }
        }
        tx.rollback().await?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column added by a later migration (a hazard's category) does not change the
    /// digest of a row written before it while it stays NULL; once set, it counts.
    #[test]
    fn a_column_added_later_keeps_old_digests_while_null() {
        let spec = spec("hazard").unwrap();
        let before = vec![("id".to_owned(), Value::Text("h1".into()))];
        let mut after = before.clone();
        after.push(("category".to_owned(), Value::Null));
        assert_eq!(
            record_digest(spec, std::slice::from_ref(&before), &[]),
            record_digest(spec, std::slice::from_ref(&after), &[])
        );
        after[1].1 = Value::Text("fire".into());
        assert_ne!(
            record_digest(spec, &[before], &[]),
            record_digest(spec, &[after], &[])
        );
    }

    /// Every table the migrations create is an audited record, a record's child, or
    /// named here with the reason it is not — a table added later cannot be forgotten.
    #[test]
    fn every_table_is_accounted_for() {
        for table in crate::rows::tables() {
            let audited = AUDITED
                .iter()
                .any(|a| a.table == table || a.children.iter().any(|(c, _)| *c == table));
            let excused = NOT_RECORDS.iter().any(|(t, _)| *t == table);
            assert!(
                audited ^ excused,
                "table {table}: add it to drift::AUDITED (or as a child) or to NOT_RECORDS with a reason"
            );
        }
    }
}
