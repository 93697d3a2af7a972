//! `POST /policy` (multipart): puts a new version of the policy in force from a date — the
//! edited text, or an uploaded .toml file; a document with mistakes is refused with each
//! line named, and the text comes back to be corrected.

use super::error_line;
use super::show::render_policy;
use crate::AppState;
use crate::form::Submitted;
use crate::session::CurrentUser;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The fields of the form: the effective date, and the text or a file.
struct PolicyForm {
    source: String,
    effective_from: String,
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Response {
    let t = user.t;
    let Ok(mut submitted) = Submitted::read(multipart).await else {
        return user
            .fail(app::Error::Conflict("error.upload_too_large"))
            .into_response();
    };
    if !submitted.csrf_ok(&user.caller) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    // A chosen file wins over the text in the page.
    let file = submitted
        .take_files("file")
        .into_iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .find(|text| !text.trim().is_empty());
    let form = PolicyForm {
        source: file.unwrap_or_else(|| submitted.text("source")),
        effective_from: submitted.text("effective_from"),
    };
    let Some(home) = app::status::home_unit(&user.caller.scope) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    // Browsers send CRLF in text areas; keep the document's own line ends.
    let source = form.source.replace("\r\n", "\n");
    let errors = match app::policy::put_in_force(
        &state.app,
        &user.caller.scope,
        home,
        &form.effective_from,
        &source,
    )
    .await
    {
        Ok(_) => return Redirect::to("/policy?done=policy_saved").into_response(),
        Err(app::policy::Refused::Document(errors)) => {
            errors.iter().map(|e| error_line(t, e)).collect()
        }
        Err(app::policy::Refused::Date) => vec![t.s("error.date").to_owned()],
        Err(app::policy::Refused::Other(app::Error::Conflict(key))) => vec![t.s(key).to_owned()],
        Err(app::policy::Refused::Other(e)) => return user.fail(e).into_response(),
    };
    render_policy(
        &state,
        &user,
        None,
        Some((source, form.effective_from, errors)),
        None,
    )
    .await
}
