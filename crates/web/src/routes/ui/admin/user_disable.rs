//! `POST /admin/users/{id}/disable` and `/enable`: disabling ends the account's sessions.

use super::users::render_users;
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::error::message_key;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::UserId;
use std::collections::HashMap;

async fn set(
    state: AppState,
    id: UserId,
    submitted: CsrfForm<HashMap<String, String>>,
    disabled: bool,
) -> Response {
    let user = submitted.user;
    match app::users::set_disabled(&state.app, &user.caller.scope, id, disabled).await {
        Ok(_) => Redirect::to(if disabled {
            "/admin/users?done=user_disabled"
        } else {
            "/admin/users?done=user_enabled"
        })
        .into_response(),
        Err(e @ app::Error::Conflict(_)) => {
            render_users(&state, &user, None, Some(user.t.s(message_key(&e)))).await
        }
        Err(e) => user.fail(e).into_response(),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    set(state, id, submitted, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    set(state, id, submitted, false).await
}
