//! CSRF protection on every state-changing form: a per-session token in a hidden `_csrf`
//! field, checked before the form is read. (The security layer also refuses cross-site
//! POSTs by their `Origin` and `Sec-Fetch-Site` headers.)

use crate::AppState;
use crate::error::UiError;
use crate::session::CurrentUser;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

#[derive(serde::Deserialize)]
struct Token {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A signed-in user's form submission whose CSRF token matched.
pub struct CsrfForm<T> {
    pub user: CurrentUser,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let token: Token = serde_urlencoded::from_bytes(&bytes).unwrap_or(Token {
            csrf: String::new(),
        });
        if !app::auth::csrf_matches(&user.caller, &token.csrf) {
            return Err(UiError::new(app::Error::Conflict("error.csrf"), user.t).into_response());
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            UiError::new(app::Error::Conflict("error.bad_form"), user.t).into_response()
        })?;
        Ok(CsrfForm { user, form })
    }
}
