//! `GET /units/{id}/terms`: a unit's terms and holidays.

use super::{Failed, render_terms};
use crate::AppState;
use crate::session::CurrentUser;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ids::OrgUnitId;

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
) -> Response {
    render_terms(&state, &user, id, Failed::default(), StatusCode::OK).await
}
