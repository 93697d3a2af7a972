//! One error type for the UI and one for the API, each with one status mapping.
//! Server-side failures are logged with detail and shown without it; every error answer
//! carries the request id as its reference.

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
        Error::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Store(_) | Error::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
        Error::Busy(_) => "error.busy",
        Error::Store(_) | Error::Io(_) => "error.internal",
    }
}

/// The message a person sees for an error, with its numbers filled in.
pub fn message(error: &Error, t: Tr) -> String {
    match error {
        Error::Throttled(seconds) => t.f(
            "login.throttled",
            &[("minutes", &seconds.div_ceil(60).to_string())],
        ),
        Error::Busy(seconds) => t.f("error.busy", &[("seconds", &seconds.to_string())]),
        Error::Invalid(invalid) => invalid
            .0
            .first()
            .map_or_else(|| t.s("error.invalid").to_owned(), |e| field_message(e, t)),
        other => t.s(message_key(other)).to_owned(),
    }
}

/// A field's message with the refused value filled in (`{value}`).
pub fn field_message(e: &domain::FieldError, t: Tr) -> String {
    t.f(e.message, &[("value", e.value.as_deref().unwrap_or(""))])
}

/// The seconds a client should wait before trying again, for errors that say so.
fn retry_after(error: &Error) -> Option<u64> {
    match error {
        Error::Throttled(seconds) | Error::Busy(seconds) => Some(*seconds),
        _ => None,
    }
}

fn log_if_server_side(error: &Error) {
    match error {
        Error::Store(e) => tracing::error!(error = %e, "request failed"),
        Error::Io(e) => tracing::error!(error = %e, "request failed"),
        _ => {}
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
        let message = message(&self.error, self.tr);
        with_retry_after(error_page(status, &message, self.tr), &self.error)
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
            "detail": message(&self.error, self.tr),
        });
        if let Error::Invalid(invalid) = &self.error {
            body["errors"] = invalid
                .0
                .iter()
                .map(|e| serde_json::json!({ "field": e.field, "detail": field_message(e, self.tr) }))
                .collect();
        }
        with_retry_after(problem(status, body), &self.error)
    }
}

fn with_retry_after(mut response: Response, error: &Error) -> Response {
    if let Some(seconds) = retry_after(error)
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The styled error page with `message`, in the language of `t`, with the request's reference.
pub fn error_page(status: StatusCode, message: &str, t: Tr) -> Response {
    let page = ErrorPage {
        t,
        status: status.as_u16(),
        message,
        reference: crate::context::request_id().unwrap_or_default(),
    };
    (status, crate::page::render(&page)).into_response()
}

/// A problem+json response; the request id is added as `request_id`.
pub fn problem(status: StatusCode, mut body: serde_json::Value) -> Response {
    if let Some(id) = crate::context::request_id() {
        body["request_id"] = serde_json::Value::String(id);
    }
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}
