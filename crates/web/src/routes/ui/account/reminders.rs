//! `POST /account/reminders`: how I want to be reminded — in the app, by e-mail, through a
//! DingTalk or WeCom group robot — and how many days before a deadline.

use super::show::render_account;
use crate::AppState;
use crate::csrf::CsrfForm;
use crate::form::FieldErrors;
use app::reminders::SettingsForm;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub async fn submit(State(state): State<AppState>, submitted: CsrfForm<SettingsForm>) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::reminders::save_settings(&state.app, &user.caller, &form).await {
        Ok(()) => Redirect::to("/account?done=saved").into_response(),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FieldErrors::from(&invalid, user.t);
            render_account(&state, &user, Some((form, errors)), None).await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
