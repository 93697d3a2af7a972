//! `GET /api/v1/audit`: audit entries the caller may view, newest first, with paging.

use super::ApiResult;
use crate::AppState;
use crate::routes::ui::admin::audit::{AuditQuery, filter_of};
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{Query, State};

pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<AuditQuery>,
) -> ApiResult<serde_json::Value> {
    let page = app::audit::browse(
        &state.app,
        &user.caller.scope,
        &filter_of(&q, &state.app.zone()),
    )
    .await
    .map_err(|e| user.fail(e))?;
    Ok(Json(serde_json::json!({
        "entries": page.entries,
        "next_before": page.next_before.map(|c| c.token()),
    })))
}
