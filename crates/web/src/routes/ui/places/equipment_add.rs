//! `POST /units/{id}/equipment`: adds a piece of safety equipment.

use super::show::{Failed, render_places};
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::form::FieldErrors;
use app::places::EquipmentForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<EquipmentForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::places::add_equipment(&state.app, &user.caller, id, &form).await {
        Ok(_) => Redirect::to(&format!("/units/{id}/places")).into_response(),
        Err(app::Error::Invalid(invalid)) => {
            let failed = Failed {
                place: None,
                equipment: Some((form, FieldErrors::from(&invalid, user.t))),
            };
            render_places(&state, &user, id, failed).await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
