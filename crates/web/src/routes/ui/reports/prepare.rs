//! `POST /units/{id}/reports`: prepares a new version of the month's report from the data.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

#[derive(serde::Deserialize)]
pub struct PrepareForm {
    #[serde(default)]
    month: String,
    #[serde(default)]
    summary: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<PrepareForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::reports::prepare(&state.app, &user.caller, id, &form.month, &form.summary).await {
        Ok(report) => {
            Redirect::to(&format!("/reports/{}?done=report_prepared", report.id)).into_response()
        }
        Err(app::Error::Conflict("error.report_draft_waiting")) => Redirect::to(&format!(
            "/units/{id}/reports?month={}&error=draft",
            form.month
        ))
        .into_response(),
        Err(app::Error::Invalid(_)) => {
            Redirect::to(&format!("/units/{id}/reports?error=month")).into_response()
        }
        Err(e) => user.fail(e).into_response(),
    }
}
