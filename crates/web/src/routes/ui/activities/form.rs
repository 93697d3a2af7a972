//! `GET /units/{id}/activities/new`: the activity form, shared with re-showing it after a
//! failed save so that everything typed comes back with a message per field.

use crate::AppState;
use crate::form::{Choice, FieldErrors};
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::activity::ActivityFields;
use domain::calendar::format_date;
use domain::evidence::activity_kinds;
use domain::ids::OrgUnitId;
use serde::Deserialize;

/// A group of subtypes under its kind.
pub struct SubtypeGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "activities/form.html")]
struct FormPage {
    c: Chrome,
    school_id: String,
    school_name: String,
    kinds: Vec<Choice>,
    subtypes: Vec<SubtypeGroup>,
    f: ActivityFields,
    errors: FieldErrors,
    files_hint: String,
}

#[derive(Deserialize, Default)]
pub struct Prefill {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subtype: String,
}

/// Renders the form for `school_id` with `fields` and `errors`.
pub async fn render_form(
    state: &AppState,
    user: &CurrentUser,
    school_id: OrgUnitId,
    fields: ActivityFields,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let t = user.t;
    let school = match app::directory::unit(&state.app, &user.caller.scope, school_id).await {
        Ok(u) => u,
        Err(e) => return user.fail(e).into_response(),
    };
    let kinds = activity_kinds()
        .map(|k| Choice {
            value: k.code.to_owned(),
            label: t.s(&k.label_key()).to_owned(),
            selected: k.code == fields.kind,
        })
        .collect();
    let subtypes = activity_kinds()
        .filter(|k| !k.subtypes.is_empty())
        .map(|k| SubtypeGroup {
            label: t.s(&k.label_key()).to_owned(),
            choices: k
                .subtypes
                .iter()
                .map(|s| Choice {
                    value: (*s).to_owned(),
                    label: t.s(&k.subtype_label_key(s)).to_owned(),
                    selected: k.code == fields.kind && *s == fields.subtype,
                })
                .collect(),
        })
        .collect();
    let page = render(&FormPage {
        c: Chrome::new(&user.caller, t, "calendar"),
        school_id: school.id.to_string(),
        school_name: school.name,
        kinds,
        subtypes,
        f: fields,
        errors,
        files_hint: t.f(
            "activity.files_hint",
            &[("n", &app::files::MAX_FILES.to_string())],
        ),
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(prefill): Query<Prefill>,
) -> Response {
    let fields = ActivityFields {
        kind: prefill.kind,
        subtype: prefill.subtype,
        held_on: format_date(state.app.today()),
        ..ActivityFields::default()
    };
    render_form(
        &state,
        &user,
        id,
        fields,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}
