//! `POST /org/people/{id}/roles`: gives a person a role at a unit (一崗雙責: several roles allowed).

use super::person_show::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::{OrgUnitId, PersonId};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
    submitted: CsrfForm<RoleForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let result = match form.unit.parse::<OrgUnitId>() {
        Ok(unit) => {
            app::org::assign_role(&state.app, &user.caller.scope, id, &form.role, unit).await
        }
        Err(_) => Err(domain::Invalid::one("unit", "error.choose_one").into()),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/org/people/{id}?done=role_assigned")).into_response(),
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.role = form.role;
                f.role_unit = form.unit;
                f.role_errors = errors;
            })
            .await
        }
    }
}
