//! `POST /account/tokens/{id}/revoke`: revokes one of my API tokens.

use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ids::TokenId;
use std::collections::HashMap;

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<TokenId>,
    submitted: CsrfForm<HashMap<String, String>>,
) -> Response {
    let user = submitted.user;
    match app::auth::revoke_token(&state.app, &user.caller, id).await {
        Ok(()) => Redirect::to("/account?done=token_revoked").into_response(),
        Err(e) => user.fail(e).into_response(),
    }
}
