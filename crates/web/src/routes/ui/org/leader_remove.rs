//! `POST /org/units/{id}/leadership/{member}/delete`: removes a member of the leadership group.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::{LeadershipMemberId, OrgUnitId};
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    Path((id, member)): Path<(OrgUnitId, LeadershipMemberId)>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::org::remove_leader(&state.app, &user.caller.scope, id, member).await {
        Ok(()) => Redirect::to(&format!("/org/units/{id}?done=leader_removed")).into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
