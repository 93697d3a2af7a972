//! `POST /policy` (multipart): puts a new version of the policy in force from a date — the
//! edited text, or an uploaded .toml file; a document with mistakes is refused with each
//! line named, and the text comes back to be corrected.

use super::error_line;
use super::show::render_policy;
use crate::AppState;
use crate::multipart;
use crate::session::CurrentUser;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The fields of the form: the effective date, and the text or a file.
struct PolicyForm {
    source: String,
    effective_from: String,
    /// Why a version takes effect before today (correcting the record).
    correction: String,
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Response {
    let t = user.t;
    let Some(home) = app::status::home_unit(&user.caller.scope) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let allowed = app::policy::may_put_in_force(&state.app, &user.caller.scope, home);
    let limits = state.config.document_limits();
    let mut submitted =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(submitted) => submitted,
            Err(rejected) => return user.fail(rejected.into_error()).into_response(),
        };
    // A chosen file wins over the text in the page.
    let file = match submitted.take_text_file("file").await {
        Ok(file) => file,
        Err(refused) => return user.fail(refused.into_error()).into_response(),
    };
    let form = PolicyForm {
        source: file.unwrap_or_else(|| submitted.text("source")),
        effective_from: submitted.text("effective_from"),
        correction: submitted.text("correction"),
    };
    // Browsers send CRLF in text areas; keep the document's own line ends.
    let source = form.source.replace("\r\n", "\n");
    let errors = match app::policy::put_in_force(
        &state.app,
        &user.caller.scope,
        home,
        &form.effective_from,
        &source,
        &form.correction,
    )
    .await
    {
        Ok(_) => return Redirect::to("/policy?done=policy_saved").into_response(),
        Err(app::policy::Refused::Document(errors)) => {
            errors.iter().map(|e| error_line(t, e)).collect()
        }
        // Only the form has fields.
        Err(app::policy::Refused::Fields(errors)) => {
            errors.iter().map(|e| error_line(t, &e.error)).collect()
        }
        Err(app::policy::Refused::Date) => vec![t.s("error.date").to_owned()],
        Err(app::policy::Refused::VersionTaken(version)) => {
            vec![t.f("policy.error.version_taken", &[("version", &version)])]
        }
        Err(app::policy::Refused::BackDated) => vec![t.s("policy.error.back_dated").to_owned()],
        Err(app::policy::Refused::Other(app::Error::Conflict(key))) => vec![t.s(key).to_owned()],
        Err(app::policy::Refused::Other(e)) => return user.fail(e).into_response(),
    };
    render_policy(
        &state,
        &user,
        None,
        Some((source, form.effective_from, form.correction, errors)),
        None,
    )
    .await
}
