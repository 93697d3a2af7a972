//! `POST /units/{id}/inspections` (multipart): saves an inspection; failed items become
//! hazards; a refused one comes back with every answer and a message per item.

use super::form::{Typed, render_form};
use crate::AppState;
use crate::multipart;
use crate::session::CurrentUser;
use app::inspections::{Refused, Submitted as InspectionForm};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let allowed = app::inspections::may_record(&state.app, &user.caller, id);
    let limits = state.config.record_limits();
    let mut form =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(form) => form,
            Err(rejected) => return user.fail(rejected.into_error()).into_response(),
        };
    let mut submitted = InspectionForm {
        template: form.text("template"),
        place: form.text("place"),
        ..InspectionForm::default()
    };
    for (item, answer) in form.texts_with("answer.") {
        submitted.answers.entry(item.to_owned()).or_default().0 = answer.to_owned();
    }
    for (item, note) in form.texts_with("note.") {
        submitted.answers.entry(item.to_owned()).or_default().1 = note.to_owned();
    }
    for (name, upload) in form.take_all_files() {
        if let Some(item) = name.strip_prefix("photo.") {
            submitted
                .photos
                .entry(item.to_owned())
                .or_default()
                .push(upload);
        }
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
