//! Signing out ends the session on the server and clears the cookie.

use crate::AppState;
use crate::csrf::CsrfForm;
use crate::session::{SESSION_COOKIE, cookie};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// `POST /logout`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    if let Some(session_id) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = app::auth::end_session(&state.app, &session_id).await
    {
        return submitted.user.fail(e).into_response();
    }
    let mut response = Redirect::to("/login").into_response();
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&clear) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
