//! The organisation tree as far as the caller sees it.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// One line of the tree: indented by depth below the caller's top units.
pub struct TreeLine {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub depth: usize,
}

#[derive(Template)]
#[template(path = "org/tree.html")]
struct TreePage {
    c: Chrome,
    lines: Vec<TreeLine>,
}

/// `GET /org`.
pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Response {
    let units = match app::directory::units(&state.app, &user.caller.scope).await {
        Ok(units) => units,
        Err(e) => return user.fail(e).into_response(),
    };
    let top_depth = units.iter().map(|u| u.depth()).min().unwrap_or(0);
    let t = user.t;
    let lines = units
        .iter()
        .map(|u| TreeLine {
            id: u.id.to_string(),
            name: u.name.clone(),
            kind: t.s(u.kind.label_key()),
            depth: u.depth() - top_depth,
        })
        .collect();
    render(&TreePage {
        c: Chrome::new(&user.caller, t, "org"),
        lines,
    })
}
