//! `GET /units/{id}/checklists`: the checklists in effect here, the libraries published
//! above and here, and the form to publish one; shared with re-showing a refused one.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::checklist::LIBRARY_SOURCE;
use domain::ids::OrgUnitId;

pub struct TemplateLine {
    pub code: String,
    pub title: String,
    pub version: u32,
    pub items: usize,
}

#[derive(Template)]
#[template(path = "checklists/show.html")]
struct ChecklistsPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    templates: Vec<TemplateLine>,
    published: Vec<(String, String)>,
    can_publish: bool,
    source: String,
    error: Option<String>,
}

pub async fn render_checklists(
    state: &AppState,
    user: &CurrentUser,
    id: OrgUnitId,
    refused: Option<(String, String)>,
) -> Response {
    let t = user.t;
    let app::checklists::LibrariesView {
        unit,
        library,
        published,
        may_publish: can_publish,
    } = match app::checklists::libraries(&state.app, &user.caller.scope, id).await {
        Ok(view) => view,
        Err(e) => return user.fail(e).into_response(),
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (source, error) = match refused {
        Some((source, error)) => (source, Some(error)),
        None => (LIBRARY_SOURCE.to_owned(), None),
    };
    let page = render(&ChecklistsPage {
        c: Chrome::new(&user.caller, t, "hazards"),
        unit_id: unit.id.to_string(),
        unit_name: unit.name.clone(),
        templates: library
            .iter()
            .map(|tp| TemplateLine {
                code: tp.code.clone(),
                title: tp.title.get(t.code()).to_owned(),
                version: tp.version,
                items: tp.items().count(),
            })
            .collect(),
        published: published
            .into_iter()
            .map(|p| (p.created_by, p.unit_path))
            .collect(),
        can_publish,
        source,
        error,
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
) -> Response {
    render_checklists(&state, &user, id, None).await
}
