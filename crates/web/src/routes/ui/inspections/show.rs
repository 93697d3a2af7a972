//! `GET /inspections/{id}`: an inspection's answers in the checklist's order, its score
//! explained (items passed, failed, not applicable; the weights), photos and the hazards it
//! found.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use app::Attachment;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::InspectionId;
use domain::inspection::{Answer, ItemAnswer, tally};

pub struct AnswerLine {
    pub text: String,
    /// The item's weight in the score, when it is not 1.
    pub weight: Option<u32>,
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
    score_explained: String,
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
    // The checklist's order; answers to items no longer in it (an older version) last.
    let items: Vec<_> = view.template.iter().flat_map(|tp| tp.items()).collect();
    let mut ordered: Vec<&ItemAnswer> = items
        .iter()
        .filter_map(|it| view.answers.iter().find(|a| a.item_id == it.id))
        .collect();
    ordered.extend(
        view.answers
            .iter()
            .filter(|a| !items.iter().any(|it| it.id == a.item_id)),
    );
    let answers = ordered
        .into_iter()
        .map(|a| {
            let item = items.iter().find(|it| it.id == a.item_id);
            let owner = format!("inspections/{}/{}", i.id, a.item_id);
            AnswerLine {
                text: item.map_or_else(|| a.item_id.clone(), |it| it.text.get(t.code()).to_owned()),
                weight: item.map(|it| it.weight).filter(|w| *w != 1),
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
    let score_explained = match &view.template {
        Some(tp) => {
            let n = tally(tp, &view.answers);
            let mut text = t.f(
                "inspection.explain.score",
                &[
                    ("got", &i.score.to_string()),
                    ("max", &i.max_score.to_string()),
                    ("passed", &n.passed.to_string()),
                    ("failed", &n.failed.to_string()),
                    ("scored", &(n.passed + n.failed).to_string()),
                ],
            );
            if n.not_applicable > 0 {
                text.push(' ');
                text.push_str(&t.f(
                    "inspection.explain.not_applicable",
                    &[("count", &n.not_applicable.to_string())],
                ));
            }
            if n.words > 0 {
                text.push(' ');
                text.push_str(&t.f(
                    "inspection.explain.words",
                    &[("count", &n.words.to_string())],
                ));
            }
            if tp.items().any(|it| it.weight != 1) {
                text.push(' ');
                text.push_str(t.s("inspection.explain.weights"));
            }
            text
        }
        None => String::new(),
    };
    render(&ShowPage {
        c: Chrome::new(&user.caller, t, "hazards").with_flash(q.done.as_deref()),
        title: i.title.clone(),
        school_id: i.school_id.to_string(),
        draft_key: format!("inspection-{}-{}", i.school_id, i.template_code),
        place: i.place.clone(),
        on: format_date(i.inspected_on),
        inspector: i.inspector.clone(),
        score: format!("{}/{}", i.score, i.max_score),
        score_explained,
        answers,
        hazards: view
            .hazards
            .iter()
            .map(|h| (h.id.to_string(), h.description.clone()))
            .collect(),
    })
}
