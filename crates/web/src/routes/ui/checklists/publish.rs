//! `POST /units/{id}/checklists` (multipart): publishes a checklist library — the text in
//! the page or an uploaded .toml file; a wrong one is refused with the reason, text kept.

use super::show::render_checklists;
use crate::AppState;
use crate::multipart;
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
    let allowed = app::checklists::may_publish(&state.app, &user.caller, id);
    let limits = state.config.document_limits();
    let mut submitted =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(submitted) => submitted,
            Err(rejected) => return user.fail(rejected.into_error()).into_response(),
        };
    let file = match submitted.take_text_file("file").await {
        Ok(file) => file,
        Err(refused) => return user.fail(refused.into_error()).into_response(),
    };
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
