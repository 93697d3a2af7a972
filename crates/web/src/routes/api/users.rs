//! `GET /api/v1/users`: the logins the caller may manage.

use super::ApiResult;
use crate::AppState;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use domain::role::Permission;
use store::User;

pub async fn list(State(state): State<AppState>, user: ApiUser) -> ApiResult<Vec<User>> {
    if !user.caller.scope.can_somewhere(Permission::ManageUsers) {
        return Err(user.fail(app::Error::Forbidden));
    }
    let scope = user.caller.scope.narrowed_to(Permission::ManageUsers);
    state
        .app
        .db
        .users(&scope)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}
