//! `GET /hazards/{id}`: a hazard, every step with who, when, what and the photos, and the
//! steps the reader may take now; shared with re-showing a refused step.

use super::{HazardLine, line};
use crate::AppState;
use crate::form::{Choice, FieldErrors};
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use app::hazards::StepForm;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::hazard::HazardAction;
use domain::ids::HazardId;
use store::Attachment;
use time::format_description::well_known::Rfc3339;

/// A step as shown.
pub struct StepLine {
    pub action: &'static str,
    pub actor: String,
    pub at: String,
    pub note: String,
    pub files: Vec<Attachment>,
}

/// A step the reader may take.
pub struct ActionForm {
    pub code: &'static str,
    pub label: &'static str,
    pub needs_person: bool,
    pub needs_files: bool,
    pub needs_note: bool,
}

#[derive(Template)]
#[template(path = "hazards/show.html")]
struct HazardPage {
    c: Chrome,
    h: HazardLine,
    school_id: String,
    source: Option<String>,
    steps: Vec<StepLine>,
    actions: Vec<ActionForm>,
    people: Vec<Choice>,
    f: StepForm,
    errors: FieldErrors,
}

pub async fn render_hazard(
    state: &AppState,
    user: &CurrentUser,
    id: HazardId,
    failed: Option<(StepForm, FieldErrors)>,
    done: Option<&str>,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let view = match app::hazards::show(&state.app, scope, id).await {
        Ok(v) => v,
        Err(e) => return user.fail(e).into_response(),
    };
    let h = &view.hazard;
    let school = match state.app.db.unit(scope, h.school_id).await {
        Ok(s) => s,
        Err(e) => return user.fail(e).into_response(),
    };
    let steps = view
        .events
        .iter()
        .map(|e| {
            let owner = format!("hazards/{}/{}", h.id, e.id);
            StepLine {
                action: t.s(&format!("hazard.action.{}", e.action)),
                actor: e.actor_name.clone(),
                at: state.app.local(e.at).format(&Rfc3339).unwrap_or_default(),
                note: e.note.clone().unwrap_or_default(),
                files: view
                    .files
                    .iter()
                    .filter(|f| f.owner == owner)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let actions: Vec<ActionForm> = app::hazards::available(&user.caller, h)
        .into_iter()
        .map(|a| ActionForm {
            code: a.code(),
            label: t.s(&format!("hazard.action.{}", a.code())),
            needs_person: a == HazardAction::Assign,
            needs_files: matches!(a, HazardAction::Submit | HazardAction::InterimControl),
            needs_note: a.needs_note(),
        })
        .collect();
    let (f, errors) = failed.unwrap_or_default();
    let people = if actions.iter().any(|a| a.needs_person) {
        state
            .app
            .db
            .people_under(scope, &school)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|p| Choice {
                selected: f.person == p.person.id.to_string()
                    || h.responsible_id == Some(p.person.id),
                value: p.person.id.to_string(),
                label: p.person.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&HazardPage {
        c: Chrome::new(&user.caller, t, "hazards").with_flash(done),
        h: line(t, h, &school.name, state.app.today()),
        school_id: school.id.to_string(),
        source: h.source.clone(),
        steps,
        actions,
        people,
        f,
        errors,
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HazardId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    render_hazard(&state, &user, id, None, q.done.as_deref()).await
}
