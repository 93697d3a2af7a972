//! `POST /org/units/{id}/children`: adds a unit below this one.

use super::unit_view::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use app::org::UnitForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<UnitForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::org::create_unit(&state.app, &user.caller.scope, id, &form).await {
        Ok(unit) => {
            Redirect::to(&format!("/org/units/{}?done=unit_created", unit.id)).into_response()
        }
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.child = form;
                f.child_errors = errors;
            })
            .await
        }
    }
}
