//! `GET /reports/{id}`: one version of a monthly report, printable on A4, with the button
//! that confirms it for the principal.

use super::kind_label;
use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::ReportId;
use domain::report::{MonthlyReport, ReportState};
use domain::role::Permission;

#[derive(Template)]
#[template(path = "reports/show.html")]
struct ShowPage {
    c: Chrome,
    r: MonthlyReport,
    school_name: String,
    kind: &'static str,
    state: &'static str,
    prepared_on: String,
    confirmed_on: String,
    can_confirm: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ReportId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let (r, school_name) = match app::reports::show(&state.app, scope, id).await {
        Ok((r, school)) => (r, school.name),
        Err(e) => return user.fail(e).into_response(),
    };
    render(&ShowPage {
        c: Chrome::new(&user.caller, t, "reports").with_flash(q.done.as_deref()),
        school_name,
        kind: kind_label(t, &r),
        state: t.s(&format!("report.state.{}", r.state.code())),
        prepared_on: format_date(r.prepared_on),
        confirmed_on: r.confirmed_on.map(format_date).unwrap_or_default(),
        can_confirm: r.state == ReportState::Draft
            && scope.can(Permission::ConfirmReport, &r.school_path),
        r,
    })
}
