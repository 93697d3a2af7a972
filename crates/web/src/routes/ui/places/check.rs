//! `POST /equipment/{id}/check`: records today's monthly check of a piece of equipment.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::EquipmentId;
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<EquipmentId>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::places::check(&state.app, &user.caller, id).await {
        Ok(item) => Redirect::to(&format!("/units/{}/places", item.school_id)).into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
