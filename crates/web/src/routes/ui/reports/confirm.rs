//! `POST /reports/{id}/confirm`: the principal confirms the report — ticking that they
//! checked it, since it goes to the central school and never changes.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::ReportId;
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<ReportId>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    let checked = submitted.form.get("checked").is_some_and(|v| v == "on");
    match app::reports::confirm(&state.app, &user.caller, id, checked).await {
        Ok(_) => Redirect::to(&format!("/reports/{id}?done=report_submitted")).into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
