//! `GET /units/{id}/reports` (and `/reports` for my own unit): for a school, its reports and
//! the form to prepare the month's; for a central school or the bureau, every school's
//! report for a month — submitted on time, late, missing or still pending.

use super::kind_label;
use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::calendar::YearMonth;
use domain::calendar::format_date;
use domain::ids::OrgUnitId;
use domain::org::UnitKind;
use domain::role::Permission;

pub struct ReportLine {
    pub id: String,
    pub month: String,
    pub version: u32,
    pub kind: &'static str,
    pub state: &'static str,
    pub state_code: &'static str,
    pub confirmed_on: String,
}

pub struct SubmissionLine {
    pub school_id: String,
    pub school: String,
    pub standing_code: &'static str,
    pub standing: &'static str,
    pub report: Option<ReportLine>,
}

#[derive(Template)]
#[template(path = "reports/list.html")]
struct ListPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    is_school: bool,
    month: String,
    deadline: String,
    can_prepare: bool,
    reports: Vec<ReportLine>,
    submissions: Vec<SubmissionLine>,
    error: Option<&'static str>,
}

#[derive(serde::Deserialize, Default)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
    error: Option<String>,
}

fn report_line(t: crate::i18n::Tr, r: &domain::report::MonthlyReport) -> ReportLine {
    ReportLine {
        id: r.id.to_string(),
        month: r.month.code(),
        version: r.version,
        kind: kind_label(t, r),
        state: t.s(&format!("report.state.{}", r.state.code())),
        state_code: r.state.code(),
        confirmed_on: r.confirmed_on.map(format_date).unwrap_or_default(),
    }
}

/// `GET /reports`.
pub async fn mine(user: CurrentUser) -> Response {
    match app::status::home_unit(&user.caller.scope) {
        Some(id) => Redirect::to(&format!("/units/{id}/reports")).into_response(),
        None => user.fail(app::Error::NotFound).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<MonthQuery>,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let today = state.app.today();
    // By default the month just ended: the one whose report is due now.
    let month = YearMonth::parse(&q.month).unwrap_or_else(|| YearMonth::of(today).previous());
    let (unit, deadline, lines) =
        match app::reports::submissions(&state.app, scope, id, month).await {
            Ok(found) => found,
            Err(e) => return user.fail(e).into_response(),
        };
    let is_school = unit.kind == UnitKind::School;
    let reports = if is_school {
        match app::reports::of_school(&state.app, scope, &unit).await {
            Ok(list) => list.iter().map(|r| report_line(t, r)).collect(),
            Err(e) => return user.fail(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let submissions = lines
        .iter()
        .map(|s| SubmissionLine {
            school_id: s.school.id.to_string(),
            school: s.school.name.clone(),
            standing_code: s.standing.code(),
            standing: t.s(&format!("report.standing.{}", s.standing.code())),
            report: s
                .submitted
                .as_ref()
                .or(s.draft.as_ref())
                .map(|r| report_line(t, r)),
        })
        .collect();
    let error = match q.error.as_deref() {
        Some("draft") => Some(t.s("error.report_draft_waiting")),
        Some("month") => Some(t.s("error.report_month")),
        _ => None,
    };
    render(&ListPage {
        c: Chrome::new(&user.caller, t, "reports"),
        unit_id: unit.id.to_string(),
        unit_name: unit.name.clone(),
        is_school,
        month: month.code(),
        deadline: format_date(deadline),
        can_prepare: is_school && scope.can(Permission::ManageHazards, &unit.path),
        reports,
        submissions,
        error,
    })
}
