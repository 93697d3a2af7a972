//! `POST /units/{id}/terms/{term}/delete`: removes a term.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::{OrgUnitId, TermId};

pub async fn submit(
    State(state): State<AppState>,
    Path((id, term)): Path<(OrgUnitId, TermId)>,
    submitted: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::calendar::remove_term(&state.app, &user.caller.scope, id, term).await {
        Ok(()) => Redirect::to(&format!("/units/{id}/terms?done=removed")).into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
