//! `GET /attachments/{id}`: a kept file, with its checked type, always as a download so
//! that nothing uploaded runs in the page's origin; streamed from disk.

use crate::AppState;
use crate::session::CurrentUser;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::ids::AttachmentId;

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<AttachmentId>,
) -> Response {
    let (attachment, file) = match app::files::download(&state.app, &user.caller.scope, id).await {
        Ok(found) => found,
        Err(e) => return user.fail(e).into_response(),
    };
    // RFC 6266/5987: the UTF-8 name percent-encoded, an ASCII fallback beside it.
    let encoded: String = attachment
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"attachment\"; filename*=UTF-8''{encoded}");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&attachment.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (
                header::CONTENT_LENGTH,
                HeaderValue::from(attachment.size.max(0) as u64),
            ),
        ],
        // Streamed from disk: a 500 MiB video never sits in memory.
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024)),
    )
        .into_response()
}
