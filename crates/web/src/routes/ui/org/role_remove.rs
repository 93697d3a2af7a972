//! `POST /org/people/{id}/roles/{assignment}/delete`: takes a role away.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::{PersonId, RoleAssignmentId};
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    Path((id, assignment)): Path<(PersonId, RoleAssignmentId)>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::org::remove_role(&state.app, &user.caller.scope, id, assignment).await {
        Ok(_) => Redirect::to(&format!("/org/people/{id}?done=role_removed")).into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
