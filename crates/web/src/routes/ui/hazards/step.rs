//! `POST /hazards/{id}/steps` (multipart): takes a step — assign, start, interim control,
//! submit with evidence, verify, send back — or shows the page again with the reason.

use super::show::render_hazard;
use crate::AppState;
use crate::form::{FieldErrors, Submitted};
use crate::session::CurrentUser;
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
    let Ok(mut submitted) = Submitted::read(multipart).await else {
        let errors = FieldErrors::from(
            &Invalid::one("attachments", "error.upload_too_large"),
            user.t,
        );
        return render_hazard(&state, &user, id, Some((StepForm::default(), errors)), None).await;
    };
    if !submitted.csrf_ok(&user.caller) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    let form = StepForm {
        action: submitted.text("action"),
        person: submitted.text("person"),
        note: submitted.text("note"),
    };
    let uploads = submitted.take_files("files");
    match app::hazards::step(&state.app, &user.caller, id, &form, uploads).await {
        Ok(_) => Redirect::to(&format!("/hazards/{id}?done=saved")).into_response(),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FieldErrors::from(&invalid, user.t);
            render_hazard(&state, &user, id, Some((form, errors)), None).await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
