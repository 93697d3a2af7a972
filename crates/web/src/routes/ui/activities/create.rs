//! `POST /units/{id}/activities` (multipart): saves an activity record with its files, or
//! shows the form again with what was typed and a message per field.

use super::form::render_form;
use crate::AppState;
use crate::form::{FieldErrors, read_multipart};
use crate::session::CurrentUser;
use app::files::Upload;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Invalid;
use domain::activity::ActivityFields;
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let mut csrf = String::new();
    let mut fields = ActivityFields::default();
    let mut uploads = Vec::new();
    let parts = read_multipart(multipart).await;
    let too_large = parts.is_err();
    for part in parts.unwrap_or_default() {
        let text = part.text();
        match part.name.as_str() {
            "_csrf" => csrf = text,
            "kind" => fields.kind = text,
            "subtype" => fields.subtype = text,
            "held_on" => fields.held_on = text,
            "title" => fields.title = text,
            "place" => fields.place = text,
            "participants" => fields.participants = text,
            "content" => fields.content = text,
            "decisions" => fields.decisions = text,
            "follow_ups" => fields.follow_ups = text,
            "files" => uploads.push(Upload {
                file_name: part.file_name.unwrap_or_default(),
                bytes: part.bytes.to_vec(),
            }),
            _ => {}
        }
    }
    if too_large {
        let errors = FieldErrors::from(
            &Invalid::one("attachments", "error.upload_too_large"),
            user.t,
        );
        return render_form(
            &state,
            &user,
            id,
            fields,
            errors,
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    if !app::auth::csrf_matches(&user.caller, &csrf) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    match app::activities::record(&state.app, &user.caller, id, &fields, uploads).await {
        Ok(activity) => Redirect::to(&format!("/activities/{}?done=activity_saved", activity.id))
            .into_response(),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FieldErrors::from(&invalid, user.t);
            render_form(
                &state,
                &user,
                id,
                fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
