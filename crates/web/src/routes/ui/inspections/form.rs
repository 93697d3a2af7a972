//! `GET /units/{id}/inspections/new?template=…`: a checklist to answer on a phone, item by
//! item, with photos from the camera; the browser keeps a draft as you go, so a dropped
//! network loses nothing. Shared with re-showing a refused inspection.

use crate::AppState;
use crate::form::FieldErrors;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::inspections::Mistakes;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::checklist::AnswerKind;
use domain::ids::OrgUnitId;
use std::collections::HashMap;

/// An item ready to answer.
pub struct ItemView {
    pub id: String,
    pub text: String,
    pub number: Option<(String, String)>,
    pub words: bool,
    pub photo_required: bool,
    pub answer: String,
    pub note: String,
    /// The id of its fieldset, which its error names (`item-{id}`).
    pub field: String,
}

pub struct SectionView {
    pub title: String,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "inspections/form.html")]
struct FormPage {
    c: Chrome,
    school_id: String,
    school_name: String,
    code: String,
    title: String,
    place: String,
    sections: Vec<SectionView>,
    errors: FieldErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct TemplateQuery {
    #[serde(default)]
    template: String,
}

/// What was typed: the place, and item id → (answer, note).
#[derive(Default)]
pub struct Typed {
    pub place: String,
    pub answers: HashMap<String, (String, String)>,
}

pub async fn render_form(
    state: &AppState,
    user: &CurrentUser,
    school_id: OrgUnitId,
    code: &str,
    typed: Typed,
    mistakes: Option<Mistakes>,
) -> Response {
    let t = user.t;
    let school = match app::directory::unit(&state.app, &user.caller.scope, school_id).await {
        Ok(u) => u,
        Err(e) => return user.fail(e).into_response(),
    };
    let tp =
        match app::checklists::template_for(&state.app, &user.caller.scope, &school, code).await {
            Ok(tp) => tp,
            Err(e) => return user.fail(e).into_response(),
        };
    let refused = mistakes.is_some();
    let mistakes = mistakes.unwrap_or_default();
    let mut errors = FieldErrors::new(t);
    if let Some(key) = mistakes.place {
        errors.push("place", t.s(key));
    }
    let sections = tp
        .sections
        .iter()
        .map(|s| SectionView {
            title: s.title.get(t.code()).to_owned(),
            items: s
                .items
                .iter()
                .map(|i| {
                    let (answer, note) = typed.answers.get(&i.id).cloned().unwrap_or_default();
                    let field = format!("item-{}", i.id);
                    if let Some(key) = mistakes.items.get(&i.id) {
                        errors.push(field.clone(), t.s(key));
                    }
                    ItemView {
                        id: i.id.clone(),
                        text: i.text.get(t.code()).to_owned(),
                        number: match i.answer {
                            AnswerKind::Number { min, max } => {
                                Some((min.to_string(), max.to_string()))
                            }
                            AnswerKind::Check | AnswerKind::Text => None,
                        },
                        words: i.answer == AnswerKind::Text,
                        photo_required: i.photo_required,
                        answer,
                        note,
                        field,
                    }
                })
                .collect(),
        })
        .collect();
    let page = render(&FormPage {
        c: Chrome::new(&user.caller, t, "hazards"),
        school_id: school.id.to_string(),
        school_name: school.name,
        code: tp.code.clone(),
        title: tp.title.get(t.code()).to_owned(),
        place: typed.place,
        sections,
        errors,
    });
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<TemplateQuery>,
) -> Response {
    render_form(&state, &user, id, &q.template, Typed::default(), None).await
}
