//! The monthly report (R-HZD-2): prepared from the month's data by the safety officer,
//! confirmed by the principal and so submitted to the central school; a zero report when
//! nothing was found. The central school sees who has submitted, who is late, who is
//! missing.

use crate::auth::Caller;
use crate::{App, Error, Result, require};
use domain::Invalid;
use domain::calendar::YearMonth;
use domain::error::bounded_text;
use domain::ids::{OrgUnitId, ReportId};
use domain::org::{OrgUnit, UnitKind};
use domain::report::{MonthlyReport, ReportState};
use domain::role::Permission;
use domain::scope::Scope;
use time::{Date, Duration};

/// Prepares a new version of `school_id`'s report for `month` (`2026-11`).
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn prepare(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    month: &str,
    summary: &str,
) -> Result<MonthlyReport> {
    let scope = &caller.scope;
    let school = app.db.unit(scope, school_id).await?;
    if school.kind != UnitKind::School {
        return Err(Error::NotFound);
    }
    require(scope, Permission::ManageHazards, &school.path)?;
    let today = app.today();
    let Some(month) = YearMonth::parse(month).filter(|m| *m <= YearMonth::of(today)) else {
        return Err(Error::Invalid(Invalid::one("month", "error.report_month")));
    };
    let summary = summary.trim();
    let summary = if summary.is_empty() {
        None
    } else {
        Some(bounded_text("summary", summary, 5000)?)
    };
    let versions = app.db.reports(scope, &school, month).await?;
    if versions
        .first()
        .is_some_and(|r| r.state == ReportState::Draft)
    {
        return Err(Error::Conflict("error.report_draft_waiting"));
    }
    let report = MonthlyReport {
        id: ReportId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        month,
        version: versions.first().map_or(1, |r| r.version + 1),
        state: ReportState::Draft,
        figures: app.db.month_figures(scope, &school, month).await?,
        summary,
        prepared_by: caller.user.person_name.clone(),
        prepared_on: today,
        confirmed_by: None,
        confirmed_on: None,
    };
    let mut write = app.db.write(scope, app.now()).await?;
    write.add_report(&school, &report).await?;
    write.commit().await?;
    Ok(report)
}

/// The principal confirms a draft: it is submitted and never changes.
/// Confirms a prepared report: it goes to the central school and never changes. The
/// principal must say they checked it (`checked`: the page's box; an API call is explicit).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn confirm(
    app: &App,
    caller: &Caller,
    id: ReportId,
    checked: bool,
) -> Result<MonthlyReport> {
    let scope = &caller.scope;
    let before = app.db.report(scope, id).await?;
    require(scope, Permission::ConfirmReport, &before.school_path)?;
    if before.state != ReportState::Draft {
        return Err(Error::Conflict("error.report_submitted"));
    }
    if !checked {
        return Err(Error::Invalid(domain::Invalid::one(
            "checked",
            "report.confirm_unchecked",
        )));
    }
    let school = app.db.unit(scope, before.school_id).await?;
    let after = MonthlyReport {
        state: ReportState::Submitted,
        confirmed_by: Some(caller.user.person_name.clone()),
        confirmed_on: Some(app.today()),
        ..before.clone()
    };
    let mut write = app.db.write(scope, app.now()).await?;
    write.confirm_report(&school, &before, &after).await?;
    write.commit().await?;
    Ok(after)
}

/// Where a school's report for a month stands, as the central school sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Confirmed by the deadline.
    OnTime,
    /// Confirmed after the deadline.
    Late,
    /// The deadline has passed and nothing is confirmed.
    Missing,
    /// Not confirmed yet, and there is still time.
    Pending,
}

impl Standing {
    pub const ALL: [Standing; 4] = [
        Standing::OnTime,
        Standing::Late,
        Standing::Missing,
        Standing::Pending,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Standing::OnTime => "on_time",
            Standing::Late => "late",
            Standing::Missing => "missing",
            Standing::Pending => "pending",
        }
    }
}

/// One school's line for a month.
pub struct Submission {
    pub school: OrgUnit,
    /// The latest confirmed version, if any.
    pub submitted: Option<MonthlyReport>,
    /// A draft waiting for the principal, if any.
    pub draft: Option<MonthlyReport>,
    pub standing: Standing,
}

/// The deadline of a month's report: the month's end plus the grace days of the obligation
/// the report satisfies in the policy in force (issue 8: found by its evidence, not by an
/// id); the month's end when the policy asks for no report.
#[tracing::instrument(skip_all)]
pub async fn deadline(app: &App, scope: &Scope, unit: &OrgUnit, month: YearMonth) -> Result<Date> {
    let (_, last) = month.bounds();
    let history = crate::policy::history(app, scope, unit).await?;
    let grace = history
        .in_force(last)
        .and_then(|p| p.report_obligation())
        .map_or(0, |o| o.grace_days);
    Ok(last + Duration::days(i64::from(grace)))
}

/// Every school under `unit_id` and its report for `month`.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn submissions(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    month: YearMonth,
) -> Result<(OrgUnit, Date, Vec<Submission>)> {
    let unit = app.db.unit(scope, unit_id).await?;
    let deadline = deadline(app, scope, &unit, month).await?;
    let reports = app.db.reports(scope, &unit, month).await?;
    let today = app.today();
    let lines = app
        .db
        .schools_under(scope, &unit)
        .await?
        .into_iter()
        .map(|school| {
            let mine: Vec<&MonthlyReport> = reports
                .iter()
                .filter(|r| r.school_id == school.id)
                .collect();
            let submitted = mine
                .iter()
                .find(|r| r.state == ReportState::Submitted)
                .map(|r| (*r).clone());
            let draft = mine
                .iter()
                .find(|r| r.state == ReportState::Draft)
                .map(|r| (*r).clone());
            let first_confirmed = mine.iter().filter_map(|r| r.confirmed_on).min();
            let standing = match (first_confirmed, today > deadline) {
                (Some(on), _) if on <= deadline => Standing::OnTime,
                (Some(_), _) => Standing::Late,
                (None, true) => Standing::Missing,
                (None, false) => Standing::Pending,
            };
            Submission {
                school,
                submitted,
                draft,
                standing,
            }
        })
        .collect();
    Ok((unit, deadline, lines))
}

/// Every version of a school's reports.
pub async fn of_school(app: &App, scope: &Scope, school: &OrgUnit) -> Result<Vec<MonthlyReport>> {
    Ok(app.db.school_reports(scope, school).await?)
}

/// A report with its school.
pub async fn show(app: &App, scope: &Scope, id: ReportId) -> Result<(MonthlyReport, OrgUnit)> {
    let report = app.db.report(scope, id).await?;
    let school = app.db.unit(scope, report.school_id).await?;
    Ok((report, school))
}
