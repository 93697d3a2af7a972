//! `POST /units/{id}/activities` (multipart): saves an activity record with its files, or
//! shows the form again with what was typed and a message per field.

use super::form::render_form;
use crate::AppState;
use crate::form::FieldErrors;
use crate::multipart;
use crate::session::CurrentUser;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::activity::ActivityFields;
use domain::ids::OrgUnitId;

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let allowed = app::activities::may_record(&state.app, &user.caller, id);
    let limits = state.config.record_limits();
    let mut submitted =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(submitted) => submitted,
            Err(rejected) => match rejected.as_field_error() {
                Some((invalid, status)) => {
                    let errors = FieldErrors::from(&invalid, user.t);
                    let fields = ActivityFields::default();
                    return render_form(&state, &user, id, fields, errors, status).await;
                }
                None => return user.fail(rejected.into_error()).into_response(),
            },
        };
    let fields = ActivityFields {
        kind: submitted.text("kind"),
        subtype: submitted.text("subtype"),
        held_on: submitted.text("held_on"),
        title: submitted.text("title"),
        place: submitted.text("place"),
        participants: submitted.text("participants"),
        content: submitted.text("content"),
        decisions: submitted.text("decisions"),
        follow_ups: submitted.text("follow_ups"),
    };
    let uploads = submitted.take_files("files");
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
