//! `GET/POST /account/password`: change my password (forced at a new account's first
//! sign-in and after an administrator's reset, each told which).
//! Changing it ends every session, so the person signs in again with the new one.

use crate::AppState;
use crate::csrf::CsrfForm;
use crate::page::{Chrome, render};
use crate::routes::ui::org::unit_view::FieldErrors;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    c: Chrome,
    forced: bool,
    /// The account still has the password it was created with (not a reset).
    first: bool,
    rule: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn page(user: &CurrentUser, errors: FieldErrors) -> Response {
    render(&PasswordPage {
        c: Chrome::new(&user.caller, user.t, "account"),
        forced: user.caller.user.must_change_password,
        first: user.caller.user.has_first_password(),
        rule: user.t.f(
            "account.password_rule",
            &[("n", &domain::account::PASSWORD_MIN_CHARS.to_string())],
        ),
        errors,
    })
}

pub async fn show(user: CurrentUser) -> Response {
    page(&user, FieldErrors::default())
}

pub async fn submit(State(state): State<AppState>, submitted: CsrfForm<PasswordForm>) -> Response {
    let CsrfForm { user, form } = submitted;
    match app::auth::change_own_password(
        &state.app,
        &user.caller,
        &form.current,
        &form.password,
        &form.confirm,
    )
    .await
    {
        Ok(()) => Redirect::to("/login?changed=true").into_response(),
        Err(app::Error::Invalid(invalid)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&user, FieldErrors::from(&invalid, user.t)),
        )
            .into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
