//! `POST /org/people/{id}/login`: gives a person a login with a temporary password.

use super::person_show::after_failure;
use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::PersonId;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<PersonId>,
    submitted: CsrfForm<LoginForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::users::create_login(
        &state.app,
        &user.caller.scope,
        id,
        &form.username,
        &form.password,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/org/people/{id}?done=login_created")).into_response(),
        Err(e) => {
            after_failure(&state, &user, id, e, |f, errors| {
                f.username = form.username;
                f.login_errors = errors;
            })
            .await
        }
    }
}
