//! `POST /units/{id}/inspections` (multipart): saves an inspection; failed items become
//! hazards; a refused one comes back with every answer and a message per item.

use super::form::{Typed, render_form};
use crate::AppState;
use crate::form::read_multipart;
use crate::session::CurrentUser;
use app::files::Upload;
use app::inspections::{Refused, Submitted};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let Ok(parts) = read_multipart(multipart).await else {
        return user
            .fail(app::Error::Conflict("error.upload_too_large"))
            .into_response();
    };
    let mut csrf = String::new();
    let mut submitted = Submitted::default();
    for part in parts {
        let name = part.name.clone();
        if name == "_csrf" {
            csrf = part.text();
        } else if name == "template" {
            submitted.template = part.text();
        } else if name == "place" {
            submitted.place = part.text();
        } else if let Some(item) = name.strip_prefix("answer.") {
            submitted.answers.entry(item.to_owned()).or_default().0 = part.text();
        } else if let Some(item) = name.strip_prefix("note.") {
            submitted.answers.entry(item.to_owned()).or_default().1 = part.text();
        } else if let Some(item) = name.strip_prefix("photo.") {
            submitted
                .photos
                .entry(item.to_owned())
                .or_default()
                .push(Upload {
                    file_name: part.file_name.unwrap_or_default(),
                    bytes: part.bytes.to_vec(),
                });
        }
    }
    if !app::auth::csrf_matches(&user.caller, &csrf) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    let typed = Typed {
        place: submitted.place.clone(),
        answers: submitted.answers.clone(),
    };
    let code = submitted.template.clone();
    match app::inspections::record(&state.app, &user.caller, id, submitted, user.t.code()).await {
        Ok((inspection, _)) => Redirect::to(&format!(
            "/inspections/{}?done=inspection_saved",
            inspection.id
        ))
        .into_response(),
        Err(Refused::Form(mistakes)) => {
            render_form(&state, &user, id, &code, typed, Some(mistakes)).await
        }
        Err(Refused::Other(e)) => user.fail(e).into_response(),
    }
}
