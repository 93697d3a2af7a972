//! `POST /units/{id}/checklists` (multipart): publishes a checklist library — the text in
//! the page or an uploaded .toml file; a wrong one is refused with the reason, text kept.

use super::show::render_checklists;
use crate::AppState;
use crate::form::Submitted;
use crate::session::CurrentUser;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let Ok(mut submitted) = Submitted::read(multipart).await else {
        return user
            .fail(app::Error::Conflict("error.upload_too_large"))
            .into_response();
    };
    if !submitted.csrf_ok(&user.caller) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    let file = submitted
        .take_files("file")
        .into_iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .find(|text| !text.trim().is_empty());
    let source = file
        .unwrap_or_else(|| submitted.text("source"))
        .replace("\r\n", "\n");
    match app::checklists::publish(&state.app, &user.caller, id, &source).await {
        Ok(_) => Redirect::to(&format!("/units/{id}/checklists")).into_response(),
        Err(app::checklists::Refused::Document(detail)) => {
            let message = user.t.f("checklist.refused", &[("detail", &detail)]);
            render_checklists(&state, &user, id, Some((source, message))).await
        }
        Err(app::checklists::Refused::Other(e)) => user.fail(e).into_response(),
    }
}
