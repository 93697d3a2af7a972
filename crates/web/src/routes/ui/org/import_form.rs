//! `GET /org/units/{id}/import`: upload a roster for a school; the shared import page.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ids::OrgUnitId;
use domain::org::OrgUnit;

/// A row of the preview: the cells as they will be imported.
pub struct PreviewRow {
    pub row: usize,
    pub grade_group: String,
    pub class: String,
    pub name: String,
    pub phone: String,
    pub role: String,
    pub username: String,
}

/// A rejected cell, translated.
pub struct ErrorRow {
    pub row: usize,
    pub column: &'static str,
    pub message: &'static str,
}

/// Which step of the import to show.
pub enum Step {
    Upload {
        error: Option<&'static str>,
    },
    Rejected {
        errors: Vec<ErrorRow>,
    },
    Preview {
        rows: Vec<PreviewRow>,
        payload: String,
    },
    Done {
        summary: String,
        logins: Vec<(String, String)>,
    },
}

#[derive(Template)]
#[template(path = "org/import.html")]
struct ImportPage {
    c: Chrome,
    school: OrgUnit,
    step: Step,
}

/// Renders the import page for `school_id` at `step`.
pub async fn render_step(
    state: &AppState,
    user: &CurrentUser,
    school_id: OrgUnitId,
    step: Step,
    status: StatusCode,
) -> Response {
    let school = match app::roster::target_school(&state.app, &user.caller.scope, school_id).await {
        Ok(school) => school,
        Err(e) => return user.fail(e).into_response(),
    };
    (
        status,
        render(&ImportPage {
            c: Chrome::new(&user.caller, user.t, "org"),
            school,
            step,
        }),
    )
        .into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
) -> Response {
    render_step(
        &state,
        &user,
        id,
        Step::Upload { error: None },
        StatusCode::OK,
    )
    .await
}
