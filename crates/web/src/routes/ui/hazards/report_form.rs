//! `GET /units/{id}/hazards/new`: reporting a hazard — on a phone, with a photo from the
//! camera; shared with re-showing the form after a refused report.

use crate::AppState;
use crate::form::{Choice, FieldErrors};
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::hazards::ReportForm;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::hazard::{Category, Severity};
use domain::ids::OrgUnitId;

#[derive(Template)]
#[template(path = "hazards/report.html")]
struct ReportPage {
    c: Chrome,
    school_id: String,
    school_name: String,
    f: ReportForm,
    severities: Vec<Choice>,
    categories: Vec<Choice>,
    errors: FieldErrors,
}

pub async fn render_report(
    state: &AppState,
    user: &CurrentUser,
    school_id: OrgUnitId,
    f: ReportForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let t = user.t;
    let school = match app::directory::unit(&state.app, &user.caller.scope, school_id).await {
        Ok(u) => u,
        Err(e) => return user.fail(e).into_response(),
    };
    let severities = Choice::list(
        Severity::ALL
            .iter()
            .map(|s| (s.code(), t.s(&s.label_key()))),
        &f.severity,
    );
    let categories = Choice::list(
        Category::ALL
            .iter()
            .map(|c| (c.code(), t.s(&c.label_key()))),
        &f.category,
    );
    let page = render(&ReportPage {
        c: Chrome::new(&user.caller, t, "hazards"),
        school_id: school.id.to_string(),
        school_name: school.name,
        f,
        severities,
        categories,
        errors,
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
) -> Response {
    let f = ReportForm {
        severity: "general".into(),
        ..ReportForm::default()
    };
    render_report(&state, &user, id, f, FieldErrors::default(), StatusCode::OK).await
}
