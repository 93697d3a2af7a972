//! `POST /org/units/{id}/leadership`: adds a member to the school's leadership group (R-ORG-5).

use super::unit_view::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::{OrgUnitId, PersonId};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LeaderForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    duty: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<LeaderForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let result = match form.person.parse::<PersonId>() {
        Ok(person) => {
            app::org::add_leader(
                &state.app,
                &user.caller.scope,
                id,
                person,
                &form.position,
                &form.duty,
            )
            .await
        }
        Err(_) => Err(domain::Invalid::one("person", "error.choose_one").into()),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/org/units/{id}?done=leader_added")).into_response(),
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.leader_person = form.person;
                f.leader_position = form.position;
                f.leader_duty = form.duty;
                f.leader_errors = errors;
            })
            .await
        }
    }
}
