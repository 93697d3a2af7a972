//! `GET /units/{id}/inspections`: a school's recent inspections and the checklists to start.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::OrgUnitId;
use domain::role::Permission;
use time::Duration;

/// A line of the list.
pub struct InspectionLine {
    pub id: String,
    pub on: String,
    pub title: String,
    pub place: String,
    pub inspector: String,
    pub score: String,
    pub failed: u32,
}

#[derive(Template)]
#[template(path = "inspections/list.html")]
struct ListPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    templates: Vec<(String, String)>,
    lines: Vec<InspectionLine>,
    can_inspect: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let today = state.app.today();
    let found =
        app::inspections::list(&state.app, scope, id, today - Duration::days(92), today).await;
    let (unit, inspections) = match found {
        Ok(found) => found,
        Err(e) => return user.fail(e).into_response(),
    };
    let library = match app::checklists::library_for(&state.app, scope, &unit).await {
        Ok(library) => library,
        Err(e) => return user.fail(e).into_response(),
    };
    render(&ListPage {
        c: Chrome::new(&user.caller, t, "hazards"),
        unit_id: unit.id.to_string(),
        unit_name: unit.name.clone(),
        templates: library
            .iter()
            .map(|tp| (tp.code.clone(), tp.title.get(t.code()).to_owned()))
            .collect(),
        lines: inspections
            .iter()
            .map(|i| InspectionLine {
                id: i.id.to_string(),
                on: format_date(i.inspected_on),
                title: i.title.clone(),
                place: i.place.clone(),
                inspector: i.inspector.clone(),
                score: format!("{}/{}", i.score, i.max_score),
                failed: i.failed,
            })
            .collect(),
        can_inspect: unit.kind == domain::org::UnitKind::School
            && scope.can(Permission::RecordActivity, &unit.path),
    })
}
