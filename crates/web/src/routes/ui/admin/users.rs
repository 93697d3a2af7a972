//! `GET /admin/users`: the logins in reach, with reset and disable actions.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use app::User;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<User>,
    error: Option<&'static str>,
}

/// Renders the list, with an optional message for a failed action.
pub async fn render_users(
    state: &AppState,
    user: &CurrentUser,
    done: Option<&str>,
    error: Option<&'static str>,
) -> Response {
    match app::directory::logins(&state.app, &user.caller.scope).await {
        Ok(users) => render(&UsersPage {
            c: Chrome::new(&user.caller, user.t, "users").with_flash(done),
            users,
            error,
        }),
        Err(e) => user.fail(e).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    render_users(&state, &user, q.done.as_deref(), None).await
}
