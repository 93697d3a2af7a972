//! Inspections over the API (R-HZD-1): the checklist library and a unit's inspections.
//! Inspections are recorded through the page's form, which carries the photos.

use super::ApiResult;
use crate::AppState;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{Path, Query, State};
use domain::calendar::parse_date;
use domain::checklist::{Template, library};
use domain::ids::OrgUnitId;
use domain::inspection::Inspection;
use serde::Deserialize;
use time::Duration;

pub async fn checklists(_user: ApiUser) -> ApiResult<&'static [Template]> {
    Ok(Json(library()))
}

#[derive(Deserialize, Default)]
pub struct SpanQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The inspections of the schools under a unit, by default of the last 92 days.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<SpanQuery>,
) -> ApiResult<Vec<Inspection>> {
    let today = state.app.today();
    let to = parse_date(&q.to).unwrap_or(today);
    let from = parse_date(&q.from).unwrap_or(to - Duration::days(92));
    let scope = &user.caller.scope;
    let unit = state
        .app
        .db
        .unit(scope, id)
        .await
        .map_err(|e| user.fail(e))?;
    state
        .app
        .db
        .inspections(scope, &unit, from, to)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}
