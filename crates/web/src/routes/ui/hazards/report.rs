//! `POST /units/{id}/hazards` (multipart): reports a hazard with photos; a major one alerts
//! the central school at once.

use super::report_form::render_report;
use crate::AppState;
use crate::form::FieldErrors;
use crate::multipart;
use crate::session::CurrentUser;
use app::hazards::ReportForm;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let allowed = app::hazards::may_report(&state.app, &user.caller, id);
    let limits = state.config.record_limits();
    let mut submitted =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(submitted) => submitted,
            Err(rejected) => match rejected.as_field_error() {
                Some((invalid, status)) => {
                    let errors = FieldErrors::from(&invalid, user.t);
                    return render_report(&state, &user, id, ReportForm::default(), errors, status)
                        .await;
                }
                None => return user.fail(rejected.into_error()).into_response(),
            },
        };
    let form = ReportForm {
        place: submitted.text("place"),
        description: submitted.text("description"),
        severity: submitted.text("severity"),
        // A form without the field (an older page, a script) reports "other", as the API does.
        category: Some(submitted.text("category"))
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| domain::hazard::Category::Other.code().to_owned()),
    };
    let uploads = submitted.take_files("files");
    match app::hazards::report(&state.app, &user.caller, id, &form, uploads, None).await {
        Ok(hazard) => {
            Redirect::to(&format!("/hazards/{}?done=hazard_reported", hazard.id)).into_response()
        }
        Err(app::Error::Invalid(invalid)) => {
            let errors = FieldErrors::from(&invalid, user.t);
            render_report(
                &state,
                &user,
                id,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => user.fail(e).into_response(),
    }
}
