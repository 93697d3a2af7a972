//! `POST /units/{id}/hazards` (multipart): reports a hazard with photos; a major one alerts
//! the central school at once.

use super::report_form::render_report;
use crate::AppState;
use crate::form::{FieldErrors, read_multipart};
use crate::i18n::{Lang, Tr};
use crate::session::CurrentUser;
use app::files::Upload;
use app::hazards::ReportForm;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Invalid;
use domain::hazard::Hazard;
use domain::ids::OrgUnitId;
use domain::org::OrgUnit;

/// The alert a major hazard sends upward, in the reader's language.
pub fn major_alert(locale: Option<&str>, hazard: &Hazard, school: &OrgUnit) -> (String, String) {
    let t = Tr::new(locale.map(Lang::from_accept_language).unwrap_or_default());
    (
        t.f("hazard.alert_title", &[("school", &school.name)]),
        t.f(
            "hazard.alert_body",
            &[
                ("place", &hazard.place),
                ("description", &hazard.description),
            ],
        ),
    )
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let mut form = ReportForm::default();
    let mut csrf = String::new();
    let mut uploads = Vec::new();
    let Ok(parts) = read_multipart(multipart).await else {
        let errors = FieldErrors::from(
            &Invalid::one("attachments", "error.upload_too_large"),
            user.t,
        );
        return render_report(
            &state,
            &user,
            id,
            form,
            errors,
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    };
    for part in parts {
        match part.name.as_str() {
            "_csrf" => csrf = part.text(),
            "place" => form.place = part.text(),
            "description" => form.description = part.text(),
            "severity" => form.severity = part.text(),
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
    match app::hazards::report(
        &state.app,
        &user.caller,
        id,
        &form,
        uploads,
        None,
        &major_alert,
    )
    .await
    {
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
