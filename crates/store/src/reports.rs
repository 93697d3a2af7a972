//! Monthly reports (R-HZD-2): every version of every school's report, the month's figures
//! counted from inspections and hazards, and confirming one — which records it as evidence.

use crate::sql::{Arg, Sql, int, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::YearMonth;
use domain::calendar::{format_date, parse_date};
use domain::evidence::AsEvidence;
use domain::ids::ReportId;
use domain::org::OrgUnit;
use domain::report::{Figures, MonthlyReport, ReportState};
use domain::scope::Scope;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, school_id, school_path, month, version, state, inspections, hazards_found, \
     hazards_closed, hazards_open, summary, prepared_by, prepared_on, confirmed_by, confirmed_on";

fn report_from_row(row: &AnyRow) -> Result<MonthlyReport> {
    let corrupt = |what: &str| Error::Corrupt(what.to_owned());
    let month = text(row, "month")?;
    let state = text(row, "state")?;
    let prepared = text(row, "prepared_on")?;
    Ok(MonthlyReport {
        id: parsed(row, "id")?,
        school_id: parsed(row, "school_id")?,
        school_path: text(row, "school_path")?,
        month: YearMonth::parse(&month).ok_or_else(|| corrupt(&month))?,
        version: int(row, "version")? as u32,
        state: ReportState::parse(&state).ok_or_else(|| corrupt(&state))?,
        figures: Figures {
            inspections: int(row, "inspections")? as u32,
            hazards_found: int(row, "hazards_found")? as u32,
            hazards_closed: int(row, "hazards_closed")? as u32,
            hazards_open: int(row, "hazards_open")? as u32,
        },
        summary: opt_text(row, "summary")?,
        prepared_by: text(row, "prepared_by")?,
        prepared_on: parse_date(&prepared).ok_or_else(|| corrupt(&prepared))?,
        confirmed_by: opt_text(row, "confirmed_by")?,
        confirmed_on: opt_text(row, "confirmed_on")?
            .as_deref()
            .and_then(parse_date),
    })
}

fn count(row: &AnyRow) -> Result<u32> {
    Ok(int(row, "n")? as u32)
}

impl Db {
    /// The reports of the schools under `unit` for `month`, every version, newest first.
    pub async fn reports(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        month: YearMonth,
    ) -> Result<Vec<MonthlyReport>> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM monthly_reports WHERE month = "
        ));
        sql.bind(Arg::Text(month.code()))
            .and_under("school_path", &unit.path)
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY version DESC");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(report_from_row)
            .collect()
    }

    /// Every report of one school, newest month and version first.
    pub async fn school_reports(
        &self,
        scope: &Scope,
        school: &OrgUnit,
    ) -> Result<Vec<MonthlyReport>> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM monthly_reports WHERE school_id = "
        ));
        sql.bind(Arg::Text(school.id.to_string()))
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY month DESC, version DESC");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(report_from_row)
            .collect()
    }

    pub async fn report(&self, scope: &Scope, id: ReportId) -> Result<MonthlyReport> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM monthly_reports WHERE id = "
        ));
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "school_path");
        let row = sql.query().fetch_optional(&self.pool).await?;
        report_from_row(&row.ok_or(Error::NotFound)?)
    }

    /// The month's figures of a school, counted from its inspections and hazards.
    pub async fn month_figures(
        &self,
        scope: &Scope,
        school: &OrgUnit,
        month: YearMonth,
    ) -> Result<Figures> {
        if !scope.sees(&school.path) {
            return Err(Error::NotFound);
        }
        let (first, last) = month.bounds();
        let (first, last) = (format_date(first), format_date(last));
        let id = school.id.to_string();
        let one = |sql: &'static str, args: Vec<String>| {
            let mut q = sqlx::query(sql);
            for a in args {
                q = q.bind(a);
            }
            q
        };
        let inspections = count(&one("SELECT COUNT(*) AS n FROM inspections WHERE school_id = $1 AND inspected_on >= $2 AND inspected_on <= $3", vec![id.clone(), first.clone(), last.clone()]).fetch_one(&self.pool).await?)?;
        let found = count(&one("SELECT COUNT(*) AS n FROM hazards WHERE school_id = $1 AND reported_on >= $2 AND reported_on <= $3", vec![id.clone(), first.clone(), last.clone()]).fetch_one(&self.pool).await?)?;
        let closed = count(&one("SELECT COUNT(*) AS n FROM hazards WHERE school_id = $1 AND closed_on >= $2 AND closed_on <= $3", vec![id.clone(), first.clone(), last.clone()]).fetch_one(&self.pool).await?)?;
        let open = count(&one("SELECT COUNT(*) AS n FROM hazards WHERE school_id = $1 AND reported_on <= $2 AND (closed_on IS NULL OR closed_on > $2)", vec![id, last]).fetch_one(&self.pool).await?)?;
        Ok(Figures {
            inspections,
            hazards_found: found,
            hazards_closed: closed,
            hazards_open: open,
        })
    }
}

impl Write<'_> {
    /// Saves a new version (a draft).
    pub async fn add_report(&mut self, school: &OrgUnit, report: &MonthlyReport) -> Result<()> {
        if !self.scope.sees(&school.path) || report.school_path != school.path {
            return Err(Error::NotFound);
        }
        // Safe: the text is a constant of this file; every value is bound.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO monthly_reports ({COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        )))
        .bind(report.id.to_string())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(report.month.code())
        .bind(i64::from(report.version))
        .bind(report.state.code().to_owned())
        .bind(i64::from(report.figures.inspections))
        .bind(i64::from(report.figures.hazards_found))
        .bind(i64::from(report.figures.hazards_closed))
        .bind(i64::from(report.figures.hazards_open))
        .bind(report.summary.clone())
        .bind(report.prepared_by.clone())
        .bind(format_date(report.prepared_on))
        .bind(report.confirmed_by.clone())
        .bind(report.confirmed_on.map(format_date))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| crate::error::conflict_on_unique(e, "error.report_version_taken"))?;
        self.audit(
            "create",
            "monthly_report",
            &report.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(report),
        )
        .await
    }

    /// Confirms a draft: it is submitted, never changes again, and counts as evidence.
    pub async fn confirm_report(
        &mut self,
        school: &OrgUnit,
        before: &MonthlyReport,
        after: &MonthlyReport,
    ) -> Result<()> {
        if !self.scope.sees(&school.path) || before.state != ReportState::Draft {
            return Err(Error::NotFound);
        }
        let changed = sqlx::query(
            "UPDATE monthly_reports SET state = 'submitted', confirmed_by = $1, confirmed_on = $2 WHERE id = $3 AND state = 'draft'",
        )
        .bind(after.confirmed_by.clone())
        .bind(after.confirmed_on.map(format_date))
        .bind(after.id.to_string())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(Error::Conflict("error.report_submitted"));
        }
        self.put_evidence(school, &after.evidence()).await?;
        self.audit(
            "confirm",
            "monthly_report",
            &after.id.to_string(),
            Some(&school.path),
            Some(before),
            Some(after),
        )
        .await
    }
}
