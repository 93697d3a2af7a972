//! `POST /org/people/{id}/edit`: changes a person's name and phone.

use super::person_show::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use app::org::PersonForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::PersonId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
    submitted: CsrfForm<PersonForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::org::update_person(&state.app, &user.caller.scope, id, &form).await {
        Ok(_) => Redirect::to(&format!("/org/people/{id}?done=saved")).into_response(),
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.name = Some(form.name);
                f.phone = Some(form.phone);
                f.edit_errors = errors;
            })
            .await
        }
    }
}
