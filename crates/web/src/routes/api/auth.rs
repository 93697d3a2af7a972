//! `POST /api/v1/auth/login` → a bearer token; list and revoke my tokens.

use super::ApiResult;
use crate::AppState;
use crate::error::ApiError;
use crate::session::{ApiUser, Visitor};
use app::ApiToken;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ids::TokenId;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
    #[serde(default)]
    token_name: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    Json(body): Json<LoginBody>,
) -> Response {
    let t = visitor.t;
    let address = visitor.addr;
    let user =
        match app::auth::check_credentials(&state.app, &body.username, &body.password, &address)
            .await
        {
            Ok(user) => user,
            Err(e) => return ApiError::new(e, t).into_response(),
        };
    let name = body.token_name.unwrap_or_else(|| "api".to_owned());
    let name: String = name.chars().take(60).collect();
    match app::auth::issue_token(&state.app, &user, &name, &address).await {
        Ok(token) => (StatusCode::OK, Json(serde_json::json!({ "token": token, "must_change_password": user.must_change_password }))).into_response(),
        Err(e) => ApiError::new(e, t).into_response(),
    }
}

pub async fn tokens(State(state): State<AppState>, user: ApiUser) -> ApiResult<Vec<ApiToken>> {
    app::auth::own_tokens(&state.app, &user.caller.scope)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}

pub async fn revoke(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<TokenId>,
) -> Result<StatusCode, ApiError> {
    app::auth::revoke_token(&state.app, &user.caller, id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| user.fail(e))
}
