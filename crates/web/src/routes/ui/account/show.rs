//! `GET /account`: who I am, my language, my API tokens.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use store::ApiToken;

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountPage {
    c: Chrome,
    tokens: Vec<ApiToken>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    match state.app.db.own_tokens(&user.caller.scope).await {
        Ok(tokens) => render(&AccountPage {
            c: Chrome::new(&user.caller, user.t, "account").with_flash(q.done.as_deref()),
            tokens,
        }),
        Err(e) => user.fail(e).into_response(),
    }
}
