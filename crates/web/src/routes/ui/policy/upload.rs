//! `POST /policy`: puts a new version of the policy in force from a date; a document with
//! mistakes is refused with each line named, and the text comes back to be corrected.

use super::error_line;
use super::show::render_policy;
use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    effective_from: String,
}

pub async fn submit(State(state): State<AppState>, submitted: CsrfForm<PolicyForm>) -> Response {
    let CsrfForm { user, form } = submitted;
    let t = user.t;
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
