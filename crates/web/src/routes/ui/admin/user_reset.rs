//! `POST /admin/users/{id}/reset`: sets a temporary password that must be changed at next login.

use super::users::render_users;
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::error::message_key;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::UserId;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    submitted: CsrfForm<ResetForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::users::reset_password(&state.app, &user.caller.scope, id, &form.password).await {
        Ok(()) => Redirect::to("/admin/users?done=password_reset").into_response(),
        Err(e @ (app::Error::Invalid(_) | app::Error::Conflict(_))) => {
            render_users(&state, &user, None, Some(user.t.s(message_key(&e)))).await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
