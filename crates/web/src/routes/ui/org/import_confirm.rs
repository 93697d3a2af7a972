//! `POST /org/units/{id}/import/confirm`: imports the previewed rows, all or nothing.
//! The rows are parsed again: what the browser sent back is not trusted.

use super::import_form::{Step, render_step};
use super::import_preview::{entries_or_page, error_rows};
use crate::AppState;
use crate::csrf::CsrfForm;
use app::roster::ImportError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ids::OrgUnitId;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    rows: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<OrgUnitId>,
    submitted: CsrfForm<ConfirmForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let t = user.t;
    let rows = serde_json::from_str::<Vec<Vec<String>>>(&form.rows).ok();
    let entries = match entries_or_page(&state, &user, id, rows.as_deref()).await {
        Ok(entries) => entries,
        Err(page) => return page,
    };
    match app::roster::import(&state.app, &user.caller.scope, id, &entries).await {
        Ok(summary) => {
            let text = t.f(
                "roster.done",
                &[
                    ("units", &summary.units_created.to_string()),
                    ("people", &summary.people_created.to_string()),
                ],
            );
            let step = Step::Done {
                summary: text,
                logins: summary.logins,
            };
            render_step(&state, &user, id, step, StatusCode::OK).await
        }
        Err(ImportError::Rows(errors)) => {
            render_step(
                &state,
                &user,
                id,
                Step::Rejected {
                    errors: error_rows(&errors, t),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ImportError::Other(e)) => user.fail(e).into_response(),
    }
}
