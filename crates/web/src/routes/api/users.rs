//! `GET /api/v1/users`: the logins the caller may manage.

use super::ApiResult;
use crate::AppState;
use crate::session::ApiUser;
use app::User;
use axum::Json;
use axum::extract::State;

pub async fn list(State(state): State<AppState>, user: ApiUser) -> ApiResult<Vec<User>> {
    app::directory::logins(&state.app, &user.caller.scope)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}
