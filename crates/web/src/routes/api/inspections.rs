//! Inspections over the API (R-HZD-1): the checklist library and a unit's inspections.
//! Inspections are recorded through the page's form, which carries the photos.

use super::ApiResult;
use crate::AppState;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{Path, Query, State};
use domain::Invalid;
use domain::calendar::parse_date;
use domain::checklist::{Template, library};
use domain::ids::OrgUnitId;
use domain::inspection::Inspection;
use serde::Deserialize;
use time::{Date, Duration};

pub async fn checklists(_user: ApiUser) -> ApiResult<&'static [Template]> {
    Ok(Json(library()))
}

/// A span of days; a date given must be one (year-month-day), not silently ignored.
#[derive(Deserialize, Default)]
pub struct SpanQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The date of query field `field`, when given.
fn given_date(field: &'static str, value: Option<&str>) -> Result<Option<Date>, app::Error> {
    value
        .map(|v| parse_date(v).ok_or(app::Error::Invalid(Invalid::one(field, "error.date"))))
        .transpose()
}

/// The inspections of the schools under a unit, by default of the last 92 days.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<SpanQuery>,
) -> ApiResult<Vec<Inspection>> {
    let today = state.app.today();
    let to = given_date("to", q.to.as_deref())
        .map_err(|e| user.fail(e))?
        .unwrap_or(today);
    let from = given_date("from", q.from.as_deref())
        .map_err(|e| user.fail(e))?
        .unwrap_or(to - Duration::days(92));
    app::inspections::list(&state.app, &user.caller.scope, id, from, to)
        .await
        .map(|(_, inspections)| Json(inspections))
        .map_err(|e| user.fail(e))
}

/// An inspection sent as JSON: the template, the place, each item's answer and note.
/// Items that ask for a photo are answered through the page, which carries files.
#[derive(Deserialize)]
pub struct InspectionBody {
    template: String,
    place: String,
    answers: std::collections::HashMap<String, AnswerBody>,
}

#[derive(Deserialize)]
pub struct AnswerBody {
    answer: String,
    #[serde(default)]
    note: String,
}

pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Json(body): Json<InspectionBody>,
) -> Result<(axum::http::StatusCode, Json<Inspection>), crate::error::ApiError> {
    let submitted = app::inspections::Submitted {
        template: body.template,
        place: body.place,
        answers: body
            .answers
            .into_iter()
            .map(|(item, a)| (item, (a.answer, a.note)))
            .collect(),
        photos: std::collections::HashMap::new(),
    };
    match app::inspections::record(&state.app, &user.caller, id, submitted, user.t.code()).await {
        Ok((inspection, _)) => Ok((axum::http::StatusCode::CREATED, Json(inspection))),
        Err(app::inspections::Refused::Form(mistakes)) => {
            // The first mistake, by field: `place`, or `answers` for an item.
            let key = mistakes
                .place
                .map(|k| ("place", k))
                .or_else(|| mistakes.items.values().next().map(|k| ("answers", *k)))
                .unwrap_or(("answers", "error.invalid"));
            Err(user.fail(app::Error::Invalid(domain::Invalid::one(key.0, key.1))))
        }
        Err(app::inspections::Refused::Other(e)) => Err(user.fail(e)),
    }
}

/// A school's places and equipment.
#[derive(serde::Serialize)]
pub struct PlacesBody {
    places: Vec<domain::place::Place>,
    equipment: Vec<domain::place::Equipment>,
}

pub async fn places(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
) -> ApiResult<PlacesBody> {
    let found = app::places::of_unit(&state.app, &user.caller.scope, id)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(PlacesBody {
        places: found.places,
        equipment: found.equipment,
    }))
}
