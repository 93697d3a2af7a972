//! `GET /api/v1/me/work`: the caller's inbox — every step that waits on them, in their
//! language — the same projection the home page shows.

use super::ApiResult;
use crate::AppState;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;

pub async fn list(State(state): State<AppState>, user: ApiUser) -> ApiResult<serde_json::Value> {
    let inbox = app::inbox::inbox(&state.app, &user.caller)
        .await
        .map_err(|e| user.fail(e))?;
    let t = user.t;
    let items: Vec<serde_json::Value> = inbox
        .items
        .iter()
        .map(|item| {
            serde_json::json!({
                "kind": item.step.code(),
                "title": item.step.title(t),
                "school_id": item.school_id,
                "status": item.status.code(),
                "deadline": item.deadline.map(|d| d.to_string()),
                "this_week": item.this_week,
                "href": item.href,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "items": items })))
}
