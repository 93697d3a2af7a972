//! Rows read without knowing their table: every stored value is NULL, an integer or a
//! text (the migrations use BIGINT and TEXT only), so one portable form serves the row
//! digests of the audit log and the backup archive, on SQLite and PostgreSQL alike.

use crate::Result;
use crate::migrate::{MIGRATIONS_SQLITE, Migration};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

/// One stored value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// A row as (column, value) pairs in the order the query returned them.
pub type PortableRow = Vec<(String, Value)>;

/// Reads every column of a row, whatever its table.
pub(crate) fn portable(row: &AnyRow) -> Result<PortableRow> {
    use sqlx::Column;
    let mut out = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let value = match row.try_get::<Option<i64>, _>(i) {
            Ok(Some(v)) => Value::Int(v),
            Ok(None) => Value::Null,
            Err(_) => match row.try_get::<Option<String>, _>(i)? {
                Some(v) => Value::Text(v),
                None => Value::Null,
            },
        };
        out.push((column.name().to_owned(), value));
    }
    Ok(out)
}

/// The digest of rows: columns sorted by name, `skip`ped columns left out, rows sorted,
/// so the same content gives the same digest on either database.
pub(crate) fn digest(rows: &[PortableRow], skip: &[&str]) -> String {
    let mut texts: Vec<String> = rows
        .iter()
        .map(|row| {
            let mut pairs: Vec<&(String, Value)> = row
                .iter()
                .filter(|(name, _)| !skip.contains(&name.as_str()))
                .collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::to_string(&pairs).unwrap_or_default()
        })
        .collect();
    texts.sort();
    let mut hasher = Sha256::new();
    for text in texts {
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Every table the migrations leave, in the order they were created (parents before the
/// tables that refer to them). Derived from the migration texts, so a table added later
/// is never forgotten by the backup or the drift guard.
pub fn tables() -> Vec<String> {
    tables_of(MIGRATIONS_SQLITE)
}

fn tables_of(migrations: &[Migration]) -> Vec<String> {
    let mut tables: Vec<String> = Vec::new();
    for migration in migrations {
        let words: Vec<&str> = migration
            .sql
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == '(' || c == ';'))
            .filter(|w| !w.is_empty())
            .collect();
        for i in 0..words.len() {
            let upper = |k: usize| words.get(i + k).map(|w| w.to_ascii_uppercase());
            if upper(0).as_deref() == Some("CREATE") && upper(1).as_deref() == Some("TABLE") {
                let mut name = words.get(i + 2).copied().unwrap_or("");
                if name.eq_ignore_ascii_case("IF") {
                    name = words.get(i + 5).copied().unwrap_or("");
                }
                if !tables.iter().any(|t| t == name) {
                    tables.push(name.to_owned());
                }
            }
            if upper(0).as_deref() == Some("ALTER")
                && upper(1).as_deref() == Some("TABLE")
                && upper(3).as_deref() == Some("RENAME")
                && upper(4).as_deref() == Some("TO")
            {
                let (from, to) = (words[i + 2], words.get(i + 5).copied().unwrap_or(""));
                if let Some(t) = tables.iter_mut().find(|t| *t == from) {
                    *t = to.to_owned();
                }
            }
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_follow_creation_and_renames() {
        let tables = tables();
        let at = |name: &str| tables.iter().position(|t| t == name).unwrap();
        assert!(at("org_units") < at("people"));
        assert!(at("hazards") < at("hazard_events"));
        assert!(at("audit_log_v1") < at("audit_log"));
        assert!(tables.contains(&"audit_heads".to_owned()));
        let postgres = tables_of(crate::migrate::MIGRATIONS_POSTGRES);
        assert_eq!(tables, postgres, "both databases have the same tables");
    }

    #[test]
    fn digests_ignore_column_and_row_order_and_skipped_columns() {
        let a = vec![
            ("b".to_owned(), Value::Int(1)),
            ("a".to_owned(), Value::Text("x".into())),
        ];
        let b = vec![
            ("a".to_owned(), Value::Text("x".into())),
            ("b".to_owned(), Value::Int(1)),
            ("seen".to_owned(), Value::Int(9)),
        ];
        assert_eq!(
            digest(std::slice::from_ref(&a), &["seen"]),
            digest(&[b], &["seen"])
        );
        let c = vec![("a".to_owned(), Value::Text("y".into()))];
        assert_ne!(
            digest(std::slice::from_ref(&a), &[]),
            digest(std::slice::from_ref(&c), &[])
        );
        assert_eq!(digest(&[a.clone(), c.clone()], &[]), digest(&[c, a], &[]));
    }
}
