//! `POST /units/{id}/holidays/{holiday}/delete`: removes a holiday.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::{HolidayId, OrgUnitId};

pub async fn submit(
    State(state): State<AppState>,
    Path((id, holiday)): Path<(OrgUnitId, HolidayId)>,
    submitted: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::calendar::remove_holiday(&state.app, &user.caller.scope, id, holiday).await {
        Ok(()) => Redirect::to(&format!("/units/{id}/terms?done=removed")).into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
