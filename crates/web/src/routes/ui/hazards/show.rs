//! `GET /hazards/{id}`: a hazard, every step with who, when (local time, per language),
//! what and the photos, and the steps the reader may take now, one form each with its own
//! label; shared with re-showing a refused step.

use super::{HazardLine, line};
use crate::AppState;
use crate::form::{Choice, FieldErrors};
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use crate::when::local_time;
use app::Attachment;
use app::hazards::StepForm;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::hazard::HazardAction;
use domain::ids::HazardId;

/// A step as shown.
pub struct StepLine {
    pub action: &'static str,
    pub actor: String,
    pub at: String,
    pub note: String,
    pub files: Vec<Attachment>,
}

/// A step the reader may take: its own form, heading and field labels.
pub struct ActionForm {
    pub code: &'static str,
    /// The prefix of its fields' ids (`assign-person`).
    pub ids: String,
    /// What was refused when this form was sent.
    pub errors: FieldErrors,
    pub label: &'static str,
    pub note_label: &'static str,
    pub files_label: &'static str,
    pub needs_person: bool,
    pub needs_files: bool,
    pub needs_note: bool,
}

/// The people a hazard may be assigned to under one role (a select box's group).
pub struct AssigneeGroup {
    pub label: &'static str,
    pub people: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "hazards/show.html")]
struct HazardPage {
    c: Chrome,
    h: HazardLine,
    title: String,
    school_id: String,
    source: Option<String>,
    steps: Vec<StepLine>,
    actions: Vec<ActionForm>,
    assignees: Vec<AssigneeGroup>,
    f: StepForm,
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
    let school = match app::directory::unit(&state.app, scope, h.school_id).await {
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
                at: local_time(t, state.app.local(e.at)),
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
    let (f, mut errors) = failed.unwrap_or_default();
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let actions: Vec<ActionForm> = app::hazards::available(&user.caller, h)
        .into_iter()
        .map(|a| ActionForm {
            code: a.code(),
            ids: format!("{}-", a.code()),
            errors: if f.action == a.code() {
                std::mem::take(&mut errors)
            } else {
                FieldErrors::default()
            },
            label: t.s(&format!("hazard.action.{}", a.code())),
            note_label: t.s(&format!("hazard.note_for.{}", a.code())),
            files_label: t.s(&format!("hazard.photos_for.{}", a.code())),
            needs_person: a == HazardAction::Assign,
            needs_files: matches!(a, HazardAction::Submit | HazardAction::InterimControl),
            needs_note: a.needs_note(),
        })
        .collect();
    let assignees = if actions.iter().any(|a| a.needs_person) {
        match app::hazards::assignees(&state.app, scope, h).await {
            Ok(people) => {
                let chosen = |id: String| {
                    f.person == id || h.responsible_id.map(|p| p.to_string()) == Some(id)
                };
                group_by_role(t, people, chosen)
            }
            Err(e) => return user.fail(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let page = render(&HazardPage {
        c: Chrome::new(&user.caller, t, "hazards").with_flash(done),
        title: title(t, h),
        h: line(t, h, &school.name, state.app.today()),
        school_id: school.id.to_string(),
        source: h.source.clone(),
        steps,
        actions,
        assignees,
        f,
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

/// A hazard's title: its place and the first words of what is wrong, so two hazards at one
/// place can be told apart on a phone.
fn title(t: Tr, h: &domain::hazard::Hazard) -> String {
    const WORDS: usize = 24;
    let first_line = h.description.lines().next().unwrap_or_default().trim();
    let mut excerpt: String = first_line.chars().take(WORDS).collect();
    if first_line.chars().count() > WORDS || h.description.trim() != first_line {
        excerpt.push('…');
    }
    if excerpt.is_empty() {
        h.place.clone()
    } else {
        match t.lang {
            Lang::En => format!("{}: {excerpt}", h.place),
            Lang::ZhTw | Lang::ZhCn => format!("{}：{excerpt}", h.place),
        }
    }
}

/// The assignees under their most senior role here (the order of `Role`), people with no
/// role last; each name shows every role they hold.
fn group_by_role(
    t: Tr,
    people: Vec<app::hazards::Assignee>,
    chosen: impl Fn(String) -> bool,
) -> Vec<AssigneeGroup> {
    let mut groups: Vec<(Option<domain::role::Role>, AssigneeGroup)> = Vec::new();
    for p in people {
        let first = p.roles.first().copied();
        let value = p.person_id.to_string();
        let label = if p.roles.len() > 1 {
            let roles = t.join(p.roles.iter().map(|r| t.s(&r.label_key())));
            match t.lang {
                Lang::En => format!("{} ({roles})", p.name),
                Lang::ZhTw | Lang::ZhCn => format!("{}（{roles}）", p.name),
            }
        } else {
            p.name
        };
        let choice = Choice {
            selected: chosen(value.clone()),
            value,
            label,
        };
        match groups.iter_mut().find(|(role, _)| *role == first) {
            Some((_, group)) => group.people.push(choice),
            None => groups.push((
                first,
                AssigneeGroup {
                    label: first
                        .map_or_else(|| t.s("hazard.assignees.no_role"), |r| t.s(&r.label_key())),
                    people: vec![choice],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}
