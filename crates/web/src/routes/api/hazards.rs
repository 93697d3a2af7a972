//! Hazards over the API (R-HZD-3): the ledger, one hazard with its steps, reporting one and
//! taking a step — the same use cases and scope as the pages. Photos and evidence files go
//! through the pages' multipart forms.

use super::ApiResult;
use crate::AppState;
use crate::error::ApiError;
use crate::session::ApiUser;
use app::HazardEvent;
use app::hazards::{ReportForm, StepForm};
use app::ledger::{LedgerQuery, Lines};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::hazard::Hazard;
use domain::ids::{HazardId, OrgUnitId};
use serde::Serialize;

pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<Vec<Hazard>> {
    app::ledger::read(&state.app, &user.caller.scope, id, &q, Lines::All)
        .await
        .and_then(app::ledger::Ledger::into_found)
        .map(|(_, found)| Json(found.hazards))
        .map_err(|e| user.fail(e))
}

/// A hazard with its steps.
#[derive(Serialize)]
pub struct HazardWithSteps {
    hazard: Hazard,
    steps: Vec<HazardEvent>,
}

pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<HazardId>,
) -> ApiResult<HazardWithSteps> {
    app::hazards::show(&state.app, &user.caller.scope, id)
        .await
        .map(|v| {
            Json(HazardWithSteps {
                hazard: v.hazard,
                steps: v.events,
            })
        })
        .map_err(|e| user.fail(e))
}

pub async fn report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Json(body): Json<ReportForm>,
) -> Result<(StatusCode, Json<Hazard>), ApiError> {
    app::hazards::report(&state.app, &user.caller, id, &body, Vec::new(), None)
        .await
        .map(|h| (StatusCode::CREATED, Json(h)))
        .map_err(|e| user.fail(e))
}

pub async fn step(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<HazardId>,
    Json(body): Json<StepForm>,
) -> ApiResult<Hazard> {
    app::hazards::step(&state.app, &user.caller, id, &body, Vec::new())
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}
