//! `GET /inspections/{id}`: an inspection's answers, score, photos and the hazards it found.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::InspectionId;
use domain::inspection::Answer;
use store::Attachment;

pub struct AnswerLine {
    pub text: String,
    pub answer: String,
    pub failed: bool,
    pub note: String,
    pub photos: Vec<Attachment>,
}

#[derive(Template)]
#[template(path = "inspections/show.html")]
struct ShowPage {
    c: Chrome,
    title: String,
    school_id: String,
    draft_key: String,
    place: String,
    on: String,
    inspector: String,
    score: String,
    answers: Vec<AnswerLine>,
    hazards: Vec<(String, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<InspectionId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = user.t;
    let view = match app::inspections::show(&state.app, &user.caller.scope, id).await {
        Ok(v) => v,
        Err(e) => return user.fail(e).into_response(),
    };
    let i = &view.inspection;
    let answers = view
        .answers
        .iter()
        .map(|a| {
            let text = view
                .template
                .as_ref()
                .and_then(|tp| tp.items().find(|it| it.id == a.item_id))
                .map_or_else(|| a.item_id.clone(), |it| it.text.get(t.code()).to_owned());
            let owner = format!("inspections/{}/{}", i.id, a.item_id);
            AnswerLine {
                text,
                answer: match a.answer {
                    Answer::Number(v) => v.to_string(),
                    Answer::Text(ref text) => text.clone(),
                    ref other => t.s(&format!("inspection.{}", other.code())).to_owned(),
                },
                failed: a.failed,
                note: a.note.clone().unwrap_or_default(),
                photos: view
                    .photos
                    .iter()
                    .filter(|p| p.owner == owner)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    render(&ShowPage {
        c: Chrome::new(&user.caller, t, "hazards").with_flash(q.done.as_deref()),
        title: i.title.clone(),
        school_id: i.school_id.to_string(),
        draft_key: format!("inspection-{}-{}", i.school_id, i.template_code),
        place: i.place.clone(),
        on: format_date(i.inspected_on),
        inspector: i.inspector.clone(),
        score: format!("{}/{}", i.score, i.max_score),
        answers,
        hazards: view
            .hazards
            .iter()
            .map(|h| (h.id.to_string(), h.description.clone()))
            .collect(),
    })
}
