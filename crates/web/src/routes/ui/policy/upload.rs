//! `POST /policy` (multipart): puts a new version of the policy in force from a date — the
//! edited text, or an uploaded .toml file; a document with mistakes is refused with each
//! line named, and the text comes back to be corrected.

use super::error_line;
use super::show::render_policy;
use crate::AppState;
use crate::form::read_multipart;
use crate::session::CurrentUser;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The fields of the form: the effective date, and the text or a file.
#[derive(Default)]
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
    let Ok(parts) = read_multipart(multipart).await else {
        return user
            .fail(app::Error::Conflict("error.upload_too_large"))
            .into_response();
    };
    let mut csrf = String::new();
    let mut form = PolicyForm::default();
    let mut file = String::new();
    for part in &parts {
        match part.name.as_str() {
            "_csrf" => csrf = part.text(),
            "effective_from" => form.effective_from = part.text(),
            "source" => form.source = part.text(),
            "file" => file = part.text(),
            _ => {}
        }
    }
    if !app::auth::csrf_matches(&user.caller, &csrf) {
        return user
            .fail(app::Error::Conflict("error.csrf"))
            .into_response();
    }
    if !file.trim().is_empty() {
        form.source = file;
    }
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
