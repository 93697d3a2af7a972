//! `POST /units/{id}/holidays`: adds a holiday.

use super::{Failed, render_terms};
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::form::FieldErrors;
use app::calendar::HolidayForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<HolidayForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let invalid = match app::calendar::add_holiday(&state.app, &user.caller.scope, id, &form).await
    {
        Ok(()) => return Redirect::to(&format!("/units/{id}/terms?done=saved")).into_response(),
        Err(app::Error::Invalid(invalid)) => invalid,
        Err(e) => return user.fail(e).into_response(),
    };
    let failed = Failed {
        term: None,
        holiday: Some((form, FieldErrors::from(&invalid, user.t))),
    };
    render_terms(&state, &user, id, failed, StatusCode::UNPROCESSABLE_ENTITY).await
}
