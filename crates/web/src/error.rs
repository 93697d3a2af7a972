//! One error type for the UI and one for the API, each with one status mapping.
//! Server-side failures are logged with detail and shown without it.

use crate::i18n::Tr;
use crate::page::ErrorPage;
use app::Error;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::BadCredentials => StatusCode::UNAUTHORIZED,
        Error::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The i18n key of the message a person sees for an error.
pub fn message_key(error: &Error) -> &'static str {
    match error {
        Error::Invalid(invalid) => invalid.0.first().map_or("error.invalid", |e| e.message),
        Error::Forbidden => "error.forbidden",
        Error::NotFound => "error.not_found",
        Error::Conflict(key) => key,
        Error::BadCredentials => "login.failed",
        Error::Throttled(_) => "login.throttled",
        Error::Store(_) => "error.internal",
    }
}

fn log_if_server_side(error: &Error) {
    if let Error::Store(e) = error {
        tracing::error!(error = %e, "request failed");
    }
}

/// A failure on a page: rendered as a page in the caller's language.
pub struct UiError {
    pub error: Error,
    pub tr: Tr,
}

impl UiError {
    pub fn new(error: impl Into<Error>, tr: Tr) -> Self {
        Self {
            error: error.into(),
            tr,
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        log_if_server_side(&self.error);
        let status = status_of(&self.error);
        let page = ErrorPage {
            t: self.tr,
            status: status.as_u16(),
            message: self.tr.s(message_key(&self.error)),
        };
        (status, crate::page::render(&page)).into_response()
    }
}

/// A failure on the API: an RFC 9457 problem document.
pub struct ApiError {
    pub error: Error,
    pub tr: Tr,
}

impl ApiError {
    pub fn new(error: impl Into<Error>, tr: Tr) -> Self {
        Self {
            error: error.into(),
            tr,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_server_side(&self.error);
        let status = status_of(&self.error);
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": self.tr.s(message_key(&self.error)),
        });
        if let Error::Invalid(invalid) = &self.error {
            body["errors"] = invalid
                .0
                .iter()
                .map(|e| serde_json::json!({ "field": e.field, "detail": self.tr.s(e.message) }))
                .collect();
        }
        let mut response = problem(status, body);
        if let Error::Throttled(seconds) = self.error
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A problem+json response.
pub fn problem(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}
