//! `POST /units/{id}/terms`: adds a term.

use super::{Failed, render_terms};
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::form::FieldErrors;
use app::calendar::TermForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Invalid;
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<TermForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let invalid = match app::calendar::add_term(&state.app, &user.caller.scope, id, &form).await {
        Ok(()) => return Redirect::to(&format!("/units/{id}/terms?done=saved")).into_response(),
        Err(app::Error::Invalid(invalid)) => invalid,
        Err(app::Error::Conflict(key)) => Invalid::one("number", key),
        Err(e) => return user.fail(e).into_response(),
    };
    let failed = Failed {
        term: Some((form, FieldErrors::from(&invalid, user.t))),
        holiday: None,
    };
    render_terms(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await
}
