//! `GET /api/v1/me`: the caller, their roles and units.

use super::ApiResult;
use crate::AppState;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;

pub async fn show(State(state): State<AppState>, user: ApiUser) -> ApiResult<serde_json::Value> {
    let me = &user.caller.user;
    let roles = app::directory::roles_of(&state.app, &user.caller.scope, me.person_id)
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Json(serde_json::json!({
        "user_id": me.id,
        "username": me.username,
        "name": me.person_name,
        "person_id": me.person_id,
        "locale": me.locale,
        "must_change_password": me.must_change_password,
        "roles": roles,
    })))
}
