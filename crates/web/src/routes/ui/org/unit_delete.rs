//! `POST /org/units/{id}/delete`: removes an empty unit.

use super::unit_view::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::org::delete_unit(&state.app, &user.caller.scope, id).await {
        Ok(unit) => {
            let back = unit.parent_id.map_or_else(
                || "/org".to_owned(),
                |p| format!("/org/units/{p}?done=unit_deleted"),
            );
            Redirect::to(&back).into_response()
        }
        Err(e) => after_failure(&state, &user, id, e, |_, _| {}).await,
    }
}
