//! What a request carries through every layer: its id (a valid incoming `X-Request-Id`, or a
//! new one), a tracing span that names it on every log line, and — once the session is read —
//! the caller's language. The id comes back as `X-Request-Id` and is the reference shown on
//! error pages and in problem documents.

use crate::i18n::Lang;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, OnceLock};
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest incoming request id taken as it is.
const MAX_ID_LEN: usize = 64;

#[derive(Clone)]
struct Context {
    id: Arc<str>,
    lang: Arc<OnceLock<Lang>>,
}

tokio::task_local! {
    static CURRENT: Context;
}

/// An incoming id is kept when it is short and plain (letters, digits, `-`, `_`, `.`), so a
/// proxy's id follows the request through; anything else is replaced, never echoed.
fn valid_incoming(value: &HeaderValue) -> Option<&str> {
    let id = value.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    (!id.is_empty() && id.len() <= MAX_ID_LEN && id.chars().all(plain)).then_some(id)
}

/// The outermost layer: gives the request its id and span, and answers with the id.
pub async fn layer(request: Request, next: Next) -> Response {
    let id: Arc<str> = match request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(valid_incoming)
    {
        Some(id) => id.into(),
        None => uuid::Uuid::now_v7().simple().to_string().into(),
    };
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let context = Context {
        id: id.clone(),
        lang: Arc::new(OnceLock::new()),
    };
    let mut response = CURRENT
        .scope(context, next.run(request).instrument(span))
        .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// The id of the request being served (none outside a request: a background job).
pub fn request_id() -> Option<String> {
    CURRENT.try_with(|c| c.id.to_string()).ok()
}

/// Notes the signed-in caller's language, for answers made after the handler (router errors).
pub fn note_lang(lang: Lang) {
    let _ = CURRENT.try_with(|c| c.lang.set(lang));
}

/// The caller's language, when the session has been read during this request.
pub fn noted_lang() -> Option<Lang> {
    CURRENT.try_with(|c| c.lang.get().copied()).ok().flatten()
}
