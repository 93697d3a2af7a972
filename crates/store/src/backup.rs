//! Backup and restore of the database in one portable form: every table the migrations
//! create, read in one consistent snapshot while the server runs, row by row as JSON
//! lines; restored into an empty database of either kind (so a county moves from SQLite
//! to PostgreSQL with a backup and a restore).

use crate::db::{Backend, Db};
use crate::rows::{Value, portable, tables};
use crate::{Error, Result};
use futures_util::TryStreamExt;
use sqlx::{Any, Column, Row, Transaction};

/// A read of the whole database as of one instant.
pub struct Snapshot {
    tx: Transaction<'static, Any>,
}

/// How a table was written: its rows and the SHA-256 of its JSON lines.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct TableDump {
    pub name: String,
    pub rows: u64,
    pub sha256: String,
}

/// Tables a backup leaves out: sign-in sessions (a restored server starts with everyone
/// signed out; a backup never carries what keeps someone signed in) and the leases of the
/// servers that were running.
const NOT_BACKED_UP: &[&str] = &["sessions", "leases"];

/// The tables a backup holds, parents first.
pub fn backed_up_tables() -> Vec<String> {
    tables()
        .into_iter()
        .filter(|t| !NOT_BACKED_UP.contains(&t.as_str()))
        .collect()
}

/// Table and column names are put into SQL text: only these characters are accepted.
fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The order rows are read in, so that a row's parent comes before it on restore.
fn order_of(table: &str) -> &'static str {
    match table {
        // A unit's parent has the shorter path.
        "org_units" => " ORDER BY LENGTH(path), path",
        _ => "",
    }
}

impl Db {
    /// Opens a consistent read of every table (PostgreSQL: repeatable read; SQLite: one
    /// read transaction in WAL mode).
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let mut tx = self.pool.begin().await?;
        match self.backend() {
            Backend::Postgres => {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
            }
            Backend::Sqlite => {
                // The first read fixes the snapshot for the rest of the transaction.
                sqlx::query("SELECT COUNT(*) FROM schema_migrations")
                    .execute(&mut *tx)
                    .await?;
            }
        }
        Ok(Snapshot { tx })
    }

    /// Whether no table holds a row (a target a restore may fill).
    pub async fn has_no_rows(&self) -> Result<bool> {
        for table in tables() {
            let text = format!("SELECT 1 FROM {table} LIMIT 1");
            if sqlx::query(sqlx::AssertSqlSafe(text))
                .fetch_optional(&self.pool)
                .await?
                .is_some()
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Every file digest a record refers to.
    pub async fn attachment_digests(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT sha256 FROM attachments")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>("sha256")?))
            .collect()
    }

    /// Starts a restore: one transaction that loads every table, committed at the end.
    pub async fn restore(&self) -> Result<Restore> {
        Ok(Restore {
            tx: self.pool.begin().await?,
        })
    }
}

impl Snapshot {
    /// The migrations the database has applied.
    pub async fn migrations(&mut self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT name FROM schema_migrations ORDER BY name")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>("name")?))
            .collect()
    }

    /// Writes `table` as JSON lines to `out`: first the column names, then one array of
    /// values per row. Rows are streamed, so a large table never sits in memory whole.
    pub async fn dump(&mut self, table: &str, out: &mut impl std::io::Write) -> Result<TableDump> {
        if !is_identifier(table) {
            return Err(Error::Corrupt(format!("table name {table:?}")));
        }
        let mut hasher = Sha256Writer::new(out);
        let mut rows = 0_u64;
        let text = format!("SELECT * FROM {table}{}", order_of(table));
        let mut stream = sqlx::query(sqlx::AssertSqlSafe(text)).fetch(&mut *self.tx);
        let mut columns: Option<Vec<String>> = None;
        while let Some(row) = stream.try_next().await? {
            if columns.is_none() {
                let names: Vec<String> =
                    row.columns().iter().map(|c| c.name().to_owned()).collect();
                writeln_json(&mut hasher, &names)?;
                columns = Some(names);
            }
            let values: Vec<Value> = portable(&row)?.into_iter().map(|(_, v)| v).collect();
            writeln_json(&mut hasher, &values)?;
            rows += 1;
        }
        if columns.is_none() {
            writeln_json(&mut hasher, &Vec::<String>::new())?;
        }
        Ok(TableDump {
            name: table.to_owned(),
            rows,
            sha256: hasher.finish(),
        })
    }

    pub async fn close(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

fn writeln_json<T: serde::Serialize>(out: &mut impl std::io::Write, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::Corrupt(e.to_string()))?;
    out.write_all(b"\n")
        .map_err(|e| Error::Corrupt(format!("backup file: {e}")))
}

/// Passes bytes through while hashing them.
struct Sha256Writer<'w, W: std::io::Write> {
    inner: &'w mut W,
    hasher: sha2::Sha256,
}

impl<'w, W: std::io::Write> Sha256Writer<'w, W> {
    fn new(inner: &'w mut W) -> Self {
        use sha2::Digest;
        Self {
            inner,
            hasher: sha2::Sha256::new(),
        }
    }

    fn finish(self) -> String {
        use sha2::Digest;
        hex::encode(self.hasher.finalize())
    }
}

impl<W: std::io::Write> std::io::Write for Sha256Writer<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A restore in progress.
pub struct Restore {
    tx: Transaction<'static, Any>,
}

impl Restore {
    /// Loads one table from its JSON lines (as `Snapshot::dump` wrote them); returns the
    /// number of rows and the SHA-256 of the text, for the caller to compare with the
    /// manifest.
    pub async fn load(&mut self, table: &str, text: &[u8]) -> Result<TableDump> {
        use sha2::Digest;
        if !backed_up_tables().iter().any(|t| t == table) {
            return Err(Error::Corrupt(format!(
                "the archive has a table this version does not know: {table}"
            )));
        }
        let sha256 = hex::encode(sha2::Sha256::digest(text));
        let mut lines = text.split(|b| *b == b'\n').filter(|l| !l.is_empty());
        let columns: Vec<String> = match lines.next() {
            Some(header) => serde_json::from_slice(header)
                .map_err(|e| Error::Corrupt(format!("{table}: column names: {e}")))?,
            None => Vec::new(),
        };
        if let Some(bad) = columns.iter().find(|c| !is_identifier(c)) {
            return Err(Error::Corrupt(format!("{table}: column name {bad:?}")));
        }
        let mut rows = 0_u64;
        let per_batch = (30_000 / columns.len().max(1)).clamp(1, 500);
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_batch);
        for line in lines {
            let values: Vec<Value> = serde_json::from_slice(line)
                .map_err(|e| Error::Corrupt(format!("{table} row {}: {e}", rows + 1)))?;
            if values.len() != columns.len() {
                return Err(Error::Corrupt(format!(
                    "{table} row {}: {} values for {} columns",
                    rows + 1,
                    values.len(),
                    columns.len()
                )));
            }
            batch.push(values);
            rows += 1;
            if batch.len() == per_batch {
                self.insert(table, &columns, &batch).await?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            self.insert(table, &columns, &batch).await?;
        }
        Ok(TableDump {
            name: table.to_owned(),
            rows,
            sha256,
        })
    }

    async fn insert(&mut self, table: &str, columns: &[String], rows: &[Vec<Value>]) -> Result<()> {
        let mut text = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in rows.iter().enumerate() {
            text.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                if j > 0 {
                    text.push_str(", ");
                }
                text.push('$');
                text.push_str(&n.to_string());
            }
            text.push(')');
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(text));
        for value in rows.iter().flatten() {
            query = match value {
                Value::Null => query.bind(None::<String>),
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.clone()),
            };
        }
        query.execute(&mut *self.tx).await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
