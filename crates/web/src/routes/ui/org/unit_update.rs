//! `POST /org/units/{id}/edit`: renames a unit, or changes a school's profile.

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
    match app::org::update_unit(&state.app, &user.caller.scope, id, &form).await {
        Ok(unit) => Redirect::to(&format!("/org/units/{}?done=saved", unit.id)).into_response(),
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.edit = Some(form);
                f.edit_errors = errors;
            })
            .await
        }
    }
}
