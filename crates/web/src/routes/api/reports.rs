//! Monthly reports over the API (R-HZD-2): who has submitted for a month, preparing a
//! school's report and confirming it.

use super::ApiResult;
use crate::AppState;
use crate::error::ApiError;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::calendar::YearMonth;
use domain::calendar::format_date;
use domain::ids::{OrgUnitId, ReportId};
use domain::report::MonthlyReport;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct MonthQuery {
    month: String,
}

/// One school's standing for the month.
#[derive(Serialize)]
pub struct SubmissionBody {
    school_id: OrgUnitId,
    school_name: String,
    /// `on_time`, `late`, `missing` or `pending`.
    standing: &'static str,
    submitted: Option<MonthlyReport>,
    draft: Option<MonthlyReport>,
}

#[derive(Serialize)]
pub struct SubmissionsBody {
    month: String,
    deadline: String,
    schools: Vec<SubmissionBody>,
}

pub async fn submissions(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<SubmissionsBody> {
    let Some(month) = YearMonth::parse(&q.month) else {
        return Err(user.fail(app::Error::Invalid(domain::Invalid::one(
            "month",
            "error.report_month",
        ))));
    };
    let (_, deadline, lines) = app::reports::submissions(&state.app, &user.caller.scope, id, month)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(SubmissionsBody {
        month: month.code(),
        deadline: format_date(deadline),
        schools: lines
            .into_iter()
            .map(|s| SubmissionBody {
                school_id: s.school.id,
                school_name: s.school.name,
                standing: s.standing.code(),
                submitted: s.submitted,
                draft: s.draft,
            })
            .collect(),
    }))
}

#[derive(Deserialize)]
pub struct PrepareBody {
    month: String,
    #[serde(default)]
    summary: String,
}

pub async fn prepare(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Json(body): Json<PrepareBody>,
) -> Result<(StatusCode, Json<MonthlyReport>), ApiError> {
    app::reports::prepare(&state.app, &user.caller, id, &body.month, &body.summary)
        .await
        .map(|r| (StatusCode::CREATED, Json(r)))
        .map_err(|e| user.fail(e))
}

pub async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<ReportId>,
) -> ApiResult<MonthlyReport> {
    app::reports::confirm(&state.app, &user.caller, id, true)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}
