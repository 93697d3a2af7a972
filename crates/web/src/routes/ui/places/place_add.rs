//! `POST /units/{id}/places`: adds a place.

use super::show::{Failed, render_places};
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::form::FieldErrors;
use app::places::PlaceForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Invalid;
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<PlaceForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let invalid = match app::places::add_place(&state.app, &user.caller, id, &form).await {
        Ok(_) => return Redirect::to(&format!("/units/{id}/places")).into_response(),
        Err(app::Error::Invalid(invalid)) => invalid,
        Err(app::Error::Conflict(key)) => Invalid::one("name", key),
        Err(e) => return user.fail(e).into_response(),
    };
    let failed = Failed {
        place: Some((form, FieldErrors::from(&invalid, user.t))),
        equipment: None,
    };
    render_places(&state, &user, id, failed).await
}
