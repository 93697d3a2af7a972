//! `POST /notifications/read`: marks every notification of mine read.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::reminders::mark_read(&state.app, &user.caller).await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
