//! Terms and holidays of units (R-CAL-1): the county's on the bureau, a school's own where
//! it differs. Descendants read their ancestors' calendars.

use crate::sql::{Arg, Sql, micros, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::{CalendarBook, Holiday, Term, format_date, parse_date};
use domain::ids::{HolidayId, TermId};
use domain::org::OrgUnit;
use domain::scope::Scope;
use domain::unit_path::UnitPath;
use serde::Serialize;
use sqlx::any::AnyRow;

/// A term as stored on a unit.
#[derive(Debug, Clone, Serialize)]
pub struct StoredTerm {
    pub id: TermId,
    pub unit_path: String,
    pub term: Term,
}

/// A holiday as stored on a unit.
#[derive(Debug, Clone, Serialize)]
pub struct StoredHoliday {
    pub id: HolidayId,
    pub unit_path: String,
    pub holiday: Holiday,
}

fn date(row: &AnyRow, column: &str) -> Result<time::Date> {
    let raw = text(row, column)?;
    parse_date(&raw).ok_or_else(|| Error::Corrupt(format!("{column}={raw}")))
}

fn term_from_row(row: &AnyRow) -> Result<StoredTerm> {
    Ok(StoredTerm {
        id: parsed(row, "id")?,
        unit_path: text(row, "unit_path")?,
        term: Term {
            school_year: crate::sql::int(row, "school_year")? as i32,
            number: crate::sql::int(row, "number")? as u8,
            starts: date(row, "starts")?,
            mid: date(row, "mid")?,
            ends: date(row, "ends")?,
        },
    })
}

fn holiday_from_row(row: &AnyRow) -> Result<StoredHoliday> {
    Ok(StoredHoliday {
        id: parsed(row, "id")?,
        unit_path: text(row, "unit_path")?,
        holiday: Holiday {
            starts: date(row, "starts")?,
            ends: date(row, "ends")?,
            name: text(row, "name")?,
        },
    })
}

/// Rows of `unit` itself, or with `with_family` also of its ancestors and below it.
fn of_unit(sql: &mut Sql, unit: &OrgUnit, with_family: bool) {
    if with_family {
        on_path_or_under(sql, "unit_id", "unit_path", &unit.path);
    } else {
        sql.push(" AND unit_id = ")
            .bind(Arg::Text(unit.id.to_string()));
    }
    sql.push(" ORDER BY starts");
}

/// `(<column> IN (ancestors of path, itself included) OR <column> under path)`.
fn on_path_or_under(sql: &mut Sql, id_column: &str, path_column: &str, path: &UnitPath) {
    sql.push(" AND (").push(id_column).push(" IN (");
    for (i, id) in path.ids().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Arg::Text(id.to_owned()));
    }
    sql.push(") OR ");
    sql.under(path_column, path);
    sql.push(")");
}

impl Db {
    /// The terms and holidays defined on `unit`'s ancestors, on `unit` and below it: enough
    /// to know the calendar of every school under `unit`.
    pub async fn calendar_book(&self, scope: &Scope, unit: &OrgUnit) -> Result<CalendarBook> {
        if !scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let mut book = CalendarBook::default();
        for stored in self.stored_terms(unit, true).await? {
            book.terms.push((stored.unit_path, stored.term));
        }
        for stored in self.stored_holidays(unit, true).await? {
            book.holidays.push((stored.unit_path, stored.holiday));
        }
        Ok(book)
    }

    /// Terms defined on `unit` itself (`with_family`: also on its ancestors and below it).
    pub async fn stored_terms(&self, unit: &OrgUnit, with_family: bool) -> Result<Vec<StoredTerm>> {
        let mut sql = Sql::new(
            "SELECT id, unit_path, school_year, number, starts, mid, ends FROM terms WHERE 1 = 1",
        );
        of_unit(&mut sql, unit, with_family);
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(term_from_row)
            .collect()
    }

    /// Holidays defined on `unit` itself (`with_family`: also on its ancestors and below it).
    pub async fn stored_holidays(
        &self,
        unit: &OrgUnit,
        with_family: bool,
    ) -> Result<Vec<StoredHoliday>> {
        let mut sql =
            Sql::new("SELECT id, unit_path, starts, ends, name FROM holidays WHERE 1 = 1");
        of_unit(&mut sql, unit, with_family);
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(holiday_from_row)
            .collect()
    }
}

impl Write<'_> {
    /// Adds a term to `unit`'s calendar.
    pub async fn add_term(&mut self, unit: &OrgUnit, term: &Term) -> Result<StoredTerm> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let stored = StoredTerm {
            id: TermId::new(),
            unit_path: unit.path.to_string(),
            term: term.clone(),
        };
        sqlx::query(
            "INSERT INTO terms (id, unit_id, unit_path, school_year, number, starts, mid, ends, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(stored.id.to_string())
        .bind(unit.id.to_string())
        .bind(unit.path.to_string())
        .bind(i64::from(term.school_year))
        .bind(i64::from(term.number))
        .bind(format_date(term.starts))
        .bind(format_date(term.mid))
        .bind(format_date(term.ends))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| crate::error::conflict_on_unique(e, "error.term_exists"))?;
        self.audit(
            "create",
            "term",
            &stored.id.to_string(),
            Some(&unit.path),
            None::<&()>,
            Some(&stored),
        )
        .await?;
        Ok(stored)
    }

    pub async fn remove_term(&mut self, stored: &StoredTerm) -> Result<()> {
        self.remove_entry(
            "terms",
            "term",
            &stored.id.to_string(),
            &stored.unit_path,
            stored,
        )
        .await
    }

    pub async fn remove_holiday(&mut self, stored: &StoredHoliday) -> Result<()> {
        self.remove_entry(
            "holidays",
            "holiday",
            &stored.id.to_string(),
            &stored.unit_path,
            stored,
        )
        .await
    }

    /// Deletes one row of a calendar table, audited with what it held.
    async fn remove_entry<T: Serialize>(
        &mut self,
        table: &'static str,
        entity: &str,
        id: &str,
        unit_path: &str,
        before: &T,
    ) -> Result<()> {
        if !self.scope.sees(unit_path) {
            return Err(Error::NotFound);
        }
        let mut sql = Sql::new(&format!("DELETE FROM {table} WHERE id = "));
        sql.bind(Arg::Text(id.to_owned()));
        sql.query().execute(&mut *self.tx).await?;
        self.audit(
            "delete",
            entity,
            id,
            Some(unit_path),
            Some(before),
            None::<&()>,
        )
        .await
    }

    /// Adds a holiday to `unit`'s calendar.
    pub async fn add_holiday(
        &mut self,
        unit: &OrgUnit,
        holiday: &Holiday,
    ) -> Result<StoredHoliday> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let stored = StoredHoliday {
            id: HolidayId::new(),
            unit_path: unit.path.to_string(),
            holiday: holiday.clone(),
        };
        sqlx::query(
            "INSERT INTO holidays (id, unit_id, unit_path, starts, ends, name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(stored.id.to_string())
        .bind(unit.id.to_string())
        .bind(unit.path.to_string())
        .bind(format_date(holiday.starts))
        .bind(format_date(holiday.ends))
        .bind(holiday.name.clone())
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        self.audit(
            "create",
            "holiday",
            &stored.id.to_string(),
            Some(&unit.path),
            None::<&()>,
            Some(&stored),
        )
        .await?;
        Ok(stored)
    }
}
