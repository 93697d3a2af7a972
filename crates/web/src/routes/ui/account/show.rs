//! `GET /account`: who I am, my reminders, my API tokens; shared with re-showing the
//! reminder settings after a failed save.

use crate::AppState;
use crate::form::{Choice, FieldErrors};
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use app::ApiToken;
use app::notify::WebhookKind;
use app::reminders::SettingsForm;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountPage {
    c: Chrome,
    tokens: Vec<ApiToken>,
    r: SettingsForm,
    r_errors: FieldErrors,
    webhook_kinds: Vec<Choice>,
    email_enabled: bool,
}

/// Renders the page; `failed` brings back a refused reminder form.
pub async fn render_account(
    state: &AppState,
    user: &CurrentUser,
    failed: Option<(SettingsForm, FieldErrors)>,
    done: Option<&str>,
) -> Response {
    let t = user.t;
    let tokens = match app::auth::own_tokens(&state.app, &user.caller.scope).await {
        Ok(tokens) => tokens,
        Err(e) => return user.fail(e).into_response(),
    };
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (r, r_errors) = match failed {
        Some(failed) => failed,
        None => match app::reminders::settings(&state.app, &user.caller).await {
            Ok(s) => (SettingsForm::from_settings(&s), FieldErrors::default()),
            Err(e) => return user.fail(e).into_response(),
        },
    };
    let webhook_kinds = Choice::list(
        WebhookKind::ALL
            .iter()
            .map(|k| (k.code(), t.s(&format!("reminders.webhook.{}", k.code())))),
        &r.webhook_kind,
    );
    let page = render(&AccountPage {
        c: Chrome::new(&user.caller, t, "account").with_flash(done),
        tokens,
        r,
        r_errors,
        webhook_kinds,
        email_enabled: state.config.email_enabled,
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    render_account(&state, &user, None, q.done.as_deref()).await
}
