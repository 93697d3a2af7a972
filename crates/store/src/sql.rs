//! Building one SQL text for both databases: numbered `$n` placeholders (SQLite accepts
//! them too), the scope filter on a path column, and reading portable values back.

use crate::{Error, Result};
use domain::scope::Scope;
use domain::unit_path::UnitPath;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};
use std::str::FromStr;
use time::OffsetDateTime;

/// A bound value.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    OptText(Option<String>),
    Int(i64),
}

/// A statement under construction with its arguments.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `AND (<column> within the scope's read roots)`; nothing for the system scope.
    pub fn and_in_scope(&mut self, scope: &Scope, column: &str) -> &mut Self {
        if let Some(roots) = scope.read_roots() {
            if roots.is_empty() {
                self.push(" AND 1 = 0");
                return self;
            }
            self.push(" AND (");
            for (i, root) in roots.iter().enumerate() {
                if i > 0 {
                    self.push(" OR ");
                }
                self.under(column, root);
            }
            self.push(")");
        }
        self
    }

    /// Appends `AND <column> is at or below root`.
    pub fn and_under(&mut self, column: &str, root: &UnitPath) -> &mut Self {
        self.push(" AND ");
        self.under(column, root)
    }

    /// Appends `(<column> is at or below root)`.
    pub fn under(&mut self, column: &str, root: &UnitPath) -> &mut Self {
        self.push("(")
            .push(column)
            .push(" >= ")
            .bind(Arg::Text(root.to_string()));
        self.push(" AND ")
            .push(column)
            .push(" < ")
            .bind(Arg::Text(root.upper_bound()))
            .push(")")
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments> {
        // Safe: the text is assembled only from fragments written in this crate; every
        // value reaches the database as a bound argument.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(self.text.as_str()));
        for arg in &self.args {
            query = match arg {
                Arg::Text(v) => query.bind(v.clone()),
                Arg::OptText(v) => query.bind(v.clone()),
                Arg::Int(v) => query.bind(*v),
            };
        }
        query
    }
}

/// An instant as stored: microseconds since the Unix epoch, UTC.
pub(crate) fn micros(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1000) as i64
}

pub(crate) fn from_micros(v: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(v) * 1000)
        .map_err(|e| Error::Corrupt(e.to_string()))
}

/// A unit path column: a stored path without its trailing `/` is corrupt.
pub(crate) fn unit_path(row: &AnyRow, column: &str) -> Result<UnitPath> {
    let raw = text(row, column)?;
    UnitPath::parse(&raw).ok_or_else(|| Error::Corrupt(format!("{column}={raw}")))
}

pub(crate) fn text(row: &AnyRow, column: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(column)?)
}

pub(crate) fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(column)?)
}

pub(crate) fn int(row: &AnyRow, column: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(column)?)
}

pub(crate) fn opt_int(row: &AnyRow, column: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(column)?)
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool> {
    Ok(int(row, column)? != 0)
}

pub(crate) fn instant(row: &AnyRow, column: &str) -> Result<OffsetDateTime> {
    from_micros(int(row, column)?)
}

pub(crate) fn opt_instant(row: &AnyRow, column: &str) -> Result<Option<OffsetDateTime>> {
    opt_int(row, column)?.map(from_micros).transpose()
}

/// Parses a stored identifier or code.
pub(crate) fn parsed<T: FromStr>(row: &AnyRow, column: &str) -> Result<T> {
    let raw = text(row, column)?;
    raw.parse()
        .map_err(|_| Error::Corrupt(format!("{column}={raw}")))
}

pub(crate) fn opt_parsed<T: FromStr>(row: &AnyRow, column: &str) -> Result<Option<T>> {
    opt_text(row, column)?
        .map(|raw| {
            raw.parse()
                .map_err(|_| Error::Corrupt(format!("{column}={raw}")))
        })
        .transpose()
}
