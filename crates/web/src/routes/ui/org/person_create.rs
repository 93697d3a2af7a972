//! `POST /org/units/{id}/people`: adds a person to this unit, optionally with a role.

use super::unit_view::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use app::org::PersonForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<PersonForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::org::add_person(&state.app, &user.caller.scope, id, &form).await {
        Ok(person) => {
            Redirect::to(&format!("/org/people/{}?done=person_created", person.id)).into_response()
        }
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.person = form;
                f.person_errors = errors;
            })
            .await
        }
    }
}
