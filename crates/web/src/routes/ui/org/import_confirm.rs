//! `POST /org/units/{id}/import/confirm`: imports the previewed rows, all or nothing.
//! The rows are parsed again: what the browser sent back is not trusted.

use super::import_form::{Step, render_step};
use super::import_preview::{error_rows, parse_rows};
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
    let Ok(rows) = serde_json::from_str::<Vec<Vec<String>>>(&form.rows) else {
        return render_step(
            &state,
            &user,
            id,
            Step::Upload {
                error: Some(t.s("roster.error.not_xlsx")),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let entries = match parse_rows(&rows) {
        Ok(entries) => entries,
        Err(errors) => {
            return render_step(
                &state,
                &user,
                id,
                Step::Rejected {
                    errors: error_rows(&errors, t),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
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
