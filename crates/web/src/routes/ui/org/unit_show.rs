//! `GET /org/units/{id}`: a unit with its children, people and leadership group.

use super::unit_view::{Forms, render_unit};
use crate::AppState;
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ids::OrgUnitId;

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    render_unit(
        &state,
        &user,
        id,
        Forms::default(),
        StatusCode::OK,
        q.done.as_deref(),
    )
    .await
}
