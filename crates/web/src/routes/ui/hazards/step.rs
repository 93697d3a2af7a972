//! `POST /hazards/{id}/steps` (multipart): takes a step — assign, start, interim control,
//! submit with evidence, verify, send back — or shows the page again with the reason.

use super::show::render_hazard;
use crate::AppState;
use crate::form::{FieldErrors, read_multipart};
use crate::session::CurrentUser;
use app::files::Upload;
use app::hazards::StepForm;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Invalid;
use domain::ids::HazardId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HazardId>,
    multipart: Multipart,
) -> Response {
    let mut form = StepForm::default();
    let mut csrf = String::new();
    let mut uploads = Vec::new();
    let Ok(parts) = read_multipart(multipart).await else {
        let errors = FieldErrors::from(
            &Invalid::one("attachments", "error.upload_too_large"),
            user.t,
        );
        return render_hazard(&state, &user, id, Some((form, errors)), None).await;
    };
    for part in parts {
        match part.name.as_str() {
            "_csrf" => csrf = part.text(),
            "action" => form.action = part.text(),
            "person" => form.person = part.text(),
            "note" => form.note = part.text(),
            "files" => uploads.push(Upload {
                file_name: part.file_name.unwrap_or_default(),
                bytes: part.bytes.to_vec(),
            }),
            _ => {}
        }
    }
    if !app::auth::csrf_matches(&user.caller, &csrf) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    match app::hazards::step(&state.app, &user.caller, id, &form, uploads).await {
        Ok(_) => Redirect::to(&format!("/hazards/{id}?done=saved")).into_response(),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FieldErrors::from(&invalid, user.t);
            render_hazard(&state, &user, id, Some((form, errors)), None).await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
