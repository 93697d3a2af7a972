//! Hazards and every step of their rectification (R-HZD-3), filtered for the ledger
//! (R-HZD-1..6) within the reader's scope.

use crate::sql::{Arg, Sql, instant, micros, opt_parsed, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::{format_date, parse_date};
use domain::hazard::{Category, Hazard, HazardState, Severity};
use domain::org::OrgUnit;
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;
use time::{Date, OffsetDateTime};

const COLUMNS: &str = "id, school_id, school_path, place, description, severity, state, \
     responsible_id, responsible_name, deadline, submitted_by, source, reported_by, reported_on, closed_on, \
     category";

/// One step in a hazard's life.
#[derive(Debug, Clone, Serialize)]
pub struct HazardEvent {
    pub id: String,
    /// `report`, or a `HazardAction` code.
    pub action: String,
    pub actor_name: String,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// What the ledger asks for.
#[derive(Debug, Clone, Default)]
pub struct HazardFilter {
    pub state: Option<HazardState>,
    /// Only the open ones (any state but closed).
    pub open: bool,
    pub severity: Option<Severity>,
    /// Only open hazards past their deadline on this day.
    pub overdue_on: Option<Date>,
    /// Part of the place's name.
    pub place: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Only this school's.
    pub school: Option<domain::ids::OrgUnitId>,
    /// Only hazards of this kind.
    pub category: Option<Category>,
    /// Only those this person is responsible for.
    pub responsible: Option<domain::ids::PersonId>,
    pub limit: i64,
}

fn date_of(row: &AnyRow, column: &str) -> Result<Option<Date>> {
    opt_text(row, column)?
        .map(|raw| parse_date(&raw).ok_or_else(|| Error::Corrupt(format!("{column}={raw}"))))
        .transpose()
}

fn hazard_from_row(row: &AnyRow) -> Result<Hazard> {
    let severity = text(row, "severity")?;
    let state = text(row, "state")?;
    let category = opt_text(row, "category")?
        .map(|code| Category::parse(&code).ok_or(Error::Corrupt(code)))
        .transpose()?;
    Ok(Hazard {
        id: parsed(row, "id")?,
        school_id: parsed(row, "school_id")?,
        school_path: text(row, "school_path")?,
        place: text(row, "place")?,
        description: text(row, "description")?,
        severity: Severity::parse(&severity).ok_or_else(|| Error::Corrupt(severity.clone()))?,
        category,
        state: HazardState::parse(&state).ok_or_else(|| Error::Corrupt(state.clone()))?,
        responsible_id: opt_parsed(row, "responsible_id")?,
        responsible_name: opt_text(row, "responsible_name")?,
        deadline: date_of(row, "deadline")?,
        submitted_by: opt_parsed(row, "submitted_by")?,
        source: opt_text(row, "source")?,
        reported_by: text(row, "reported_by")?,
        reported_on: date_of(row, "reported_on")?
            .ok_or_else(|| Error::Corrupt("reported_on".into()))?,
        closed_on: date_of(row, "closed_on")?,
    })
}

/// Appends the filter's conditions.
fn filtered(sql: &mut Sql, scope: &Scope, unit: &OrgUnit, filter: &HazardFilter) {
    sql.and_under("school_path", &unit.path)
        .and_in_scope(scope, "school_path");
    if let Some(state) = filter.state {
        sql.push(" AND state = ")
            .bind(Arg::Text(state.code().to_owned()));
    }
    if filter.open || filter.overdue_on.is_some() {
        sql.push(" AND state <> 'closed'");
    }
    if let Some(severity) = filter.severity {
        sql.push(" AND severity = ")
            .bind(Arg::Text(severity.code().to_owned()));
    }
    if let Some(day) = filter.overdue_on {
        sql.push(" AND deadline IS NOT NULL AND deadline < ")
            .bind(Arg::Text(format_date(day)));
    }
    if let Some(place) = &filter.place {
        sql.push(" AND place LIKE ")
            .bind(Arg::Text(format!("%{}%", place.replace(['%', '_'], ""))));
    }
    if let Some(school) = filter.school {
        sql.push(" AND school_id = ")
            .bind(Arg::Text(school.to_string()));
    }
    if let Some(category) = filter.category {
        sql.push(" AND category = ")
            .bind(Arg::Text(category.code().to_owned()));
    }
    if let Some(person) = filter.responsible {
        sql.push(" AND responsible_id = ")
            .bind(Arg::Text(person.to_string()));
    }
    if let Some(from) = filter.from {
        sql.push(" AND reported_on >= ")
            .bind(Arg::Text(format_date(from)));
    }
    if let Some(to) = filter.to {
        sql.push(" AND reported_on <= ")
            .bind(Arg::Text(format_date(to)));
    }
}

/// The ledger's totals over everything the filter matches (not only the lines shown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LedgerTotals {
    pub all: i64,
    pub open: i64,
    pub overdue: i64,
}

impl Db {
    /// The hazards of the schools under `unit` that the filter asks for, newest first.
    pub async fn hazards(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        filter: &HazardFilter,
    ) -> Result<Vec<Hazard>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM hazards WHERE 1 = 1"));
        filtered(&mut sql, scope, unit, filter);
        sql.push(" ORDER BY reported_on DESC, created_at DESC LIMIT ")
            .bind(Arg::Int(filter.limit.max(1)));
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(hazard_from_row)
            .collect()
    }

    /// Totals over everything the filter matches; `today` decides what is overdue.
    pub async fn hazard_totals(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        filter: &HazardFilter,
        today: Date,
    ) -> Result<LedgerTotals> {
        let mut sql = Sql::new(
            "SELECT COUNT(*) AS n, \
             SUM(CASE WHEN state <> 'closed' THEN 1 ELSE 0 END) AS open, \
             SUM(CASE WHEN state <> 'closed' AND deadline IS NOT NULL AND deadline < ",
        );
        sql.bind(Arg::Text(format_date(today)))
            .push(" THEN 1 ELSE 0 END) AS overdue FROM hazards WHERE 1 = 1");
        filtered(&mut sql, scope, unit, filter);
        let row = sql.query().fetch_one(&self.pool).await?;
        let n = |c: &str| crate::sql::opt_int(&row, c).map(Option::unwrap_or_default);
        Ok(LedgerTotals {
            all: n("n")?,
            open: n("open")?,
            overdue: n("overdue")?,
        })
    }

    /// Hazards found and closed per month (`2026-11`) from `from` on, oldest first.
    pub async fn hazard_trend(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        from: Date,
    ) -> Result<Vec<(String, i64, i64)>> {
        let mut found = Sql::new(
            "SELECT SUBSTR(reported_on, 1, 7) AS month, COUNT(*) AS n FROM hazards WHERE reported_on >= ",
        );
        found.bind(Arg::Text(format_date(from)));
        filtered(&mut found, scope, unit, &HazardFilter::default());
        found.push(" GROUP BY SUBSTR(reported_on, 1, 7)");
        let mut closed = Sql::new(
            "SELECT SUBSTR(closed_on, 1, 7) AS month, COUNT(*) AS n FROM hazards WHERE closed_on >= ",
        );
        closed.bind(Arg::Text(format_date(from)));
        filtered(&mut closed, scope, unit, &HazardFilter::default());
        closed.push(" GROUP BY SUBSTR(closed_on, 1, 7)");
        let mut months: std::collections::BTreeMap<String, (i64, i64)> =
            std::collections::BTreeMap::new();
        for row in found.query().fetch_all(&self.pool).await? {
            months.entry(text(&row, "month")?).or_default().0 = crate::sql::int(&row, "n")?;
        }
        for row in closed.query().fetch_all(&self.pool).await? {
            months.entry(text(&row, "month")?).or_default().1 = crate::sql::int(&row, "n")?;
        }
        Ok(months.into_iter().map(|(m, (f, c))| (m, f, c)).collect())
    }

    pub async fn hazard(&self, scope: &Scope, id: domain::ids::HazardId) -> Result<Hazard> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM hazards WHERE id = "));
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "school_path");
        let row = sql.query().fetch_optional(&self.pool).await?;
        hazard_from_row(&row.ok_or(Error::NotFound)?)
    }

    /// Every step of a hazard, oldest first.
    pub async fn hazard_events(&self, scope: &Scope, hazard: &Hazard) -> Result<Vec<HazardEvent>> {
        if !scope.sees(&hazard.school_path) {
            return Err(Error::NotFound);
        }
        sqlx::query(
            "SELECT id, action, actor_name, note, at FROM hazard_events WHERE hazard_id = $1 ORDER BY at, id",
        )
        .bind(hazard.id.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(HazardEvent {
                id: text(row, "id")?,
                action: text(row, "action")?,
                actor_name: text(row, "actor_name")?,
                note: opt_text(row, "note")?,
                at: instant(row, "at")?,
            })
        })
        .collect()
    }
}

fn opt_date(d: Option<Date>) -> Option<String> {
    d.map(format_date)
}

impl Write<'_> {
    /// Records a new hazard of `school` and its first step; returns that step's id.
    pub async fn add_hazard(
        &mut self,
        school: &OrgUnit,
        hazard: &Hazard,
        note: Option<&str>,
    ) -> Result<String> {
        if !self.scope.sees(&school.path) || hazard.school_path != school.path {
            return Err(Error::NotFound);
        }
        // Safe: the text is a constant of this file; every value is bound.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO hazards ({COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
        )))
        .bind(hazard.id.to_string())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(hazard.place.clone())
        .bind(hazard.description.clone())
        .bind(hazard.severity.code().to_owned())
        .bind(hazard.state.code().to_owned())
        .bind(hazard.responsible_id.map(|p| p.to_string()))
        .bind(hazard.responsible_name.clone())
        .bind(opt_date(hazard.deadline))
        .bind(hazard.submitted_by.map(|u| u.to_string()))
        .bind(hazard.source.clone())
        .bind(hazard.reported_by.clone())
        .bind(format_date(hazard.reported_on))
        .bind(opt_date(hazard.closed_on))
        .bind(hazard.category.map(|c| c.code().to_owned()))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        let event = self.hazard_event(hazard, "report", note).await?;
        self.audit(
            "report",
            "hazard",
            &hazard.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(hazard),
        )
        .await?;
        Ok(event)
    }

    /// Saves a step: the hazard as it is after it, and what was done; returns the step's id.
    pub async fn change_hazard(
        &mut self,
        before: &Hazard,
        after: &Hazard,
        action: &str,
        note: Option<&str>,
    ) -> Result<String> {
        if !self.scope.sees(&before.school_path) || before.id != after.id {
            return Err(Error::NotFound);
        }
        sqlx::query(
            "UPDATE hazards SET state = $1, responsible_id = $2, responsible_name = $3, deadline = $4, \
             submitted_by = $5, closed_on = $6 WHERE id = $7",
        )
        .bind(after.state.code().to_owned())
        .bind(after.responsible_id.map(|p| p.to_string()))
        .bind(after.responsible_name.clone())
        .bind(opt_date(after.deadline))
        .bind(after.submitted_by.map(|u| u.to_string()))
        .bind(opt_date(after.closed_on))
        .bind(after.id.to_string())
        .execute(&mut *self.tx)
        .await?;
        let event = self.hazard_event(after, action, note).await?;
        self.audit(
            action,
            "hazard",
            &after.id.to_string(),
            Some(&after.school_path),
            Some(before),
            Some(after),
        )
        .await?;
        Ok(event)
    }

    async fn hazard_event(
        &mut self,
        hazard: &Hazard,
        action: &str,
        note: Option<&str>,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO hazard_events (id, hazard_id, school_path, action, actor_name, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.clone())
        .bind(hazard.id.to_string())
        .bind(hazard.school_path.clone())
        .bind(action.to_owned())
        .bind(self.scope.actor_name.clone())
        .bind(note.map(str::to_owned))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        Ok(id)
    }
}
