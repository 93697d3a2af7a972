//! `POST /hazards/{id}/steps` (multipart): takes a step — assign, start, interim control,
//! submit with evidence, verify, send back — or shows the page again with the reason.

use super::show::render_hazard;
use crate::AppState;
use crate::form::FieldErrors;
use crate::multipart;
use crate::session::CurrentUser;
use app::hazards::StepForm;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::HazardId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HazardId>,
    multipart: Multipart,
) -> Response {
    let allowed = app::hazards::may_step(&state.app, &user.caller, id);
    let limits = state.config.record_limits();
    let mut submitted =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(submitted) => submitted,
            Err(rejected) => match rejected.as_field_error() {
                Some((invalid, _)) => {
                    let errors = FieldErrors::from(&invalid, user.t);
                    return render_hazard(
                        &state,
                        &user,
                        id,
                        Some((StepForm::default(), errors)),
                        None,
                    )
                    .await;
                }
                None => return user.fail(rejected.into_error()).into_response(),
            },
        };
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
