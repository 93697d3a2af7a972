//! `POST /org/units/{id}/import` (multipart): reads the uploaded .xlsx and shows either
//! every bad row with its column and reason (nothing imported) or a preview to confirm.

use super::import_form::{ErrorRow, PreviewRow, Step, render_step};
use crate::AppState;
use crate::i18n::{Tr, role_named};
use crate::multipart;
use crate::session::CurrentUser;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ids::OrgUnitId;
use domain::roster::{RosterEntry, RowError, parse_roster};

/// Translates row errors for the page.
pub fn error_rows(errors: &[RowError], t: Tr) -> Vec<ErrorRow> {
    errors
        .iter()
        .map(|e| ErrorRow {
            row: e.row,
            column: t.s(&format!("roster.column.{}", e.column)),
            message: t.s(e.message),
        })
        .collect()
}

/// The data rows (below the header) of a sheet, parsed; the first data row is row 2.
pub fn parse_rows(rows: &[Vec<String>]) -> Result<Vec<RosterEntry>, Vec<RowError>> {
    parse_roster(rows.get(1..).unwrap_or(&[]), 2, &role_named)
}

/// The rows as roster entries, or the page that says why not: no readable sheet
/// (`rows` is `None`), or every bad row with its column and reason.
pub async fn entries_or_page(
    state: &AppState,
    user: &CurrentUser,
    id: OrgUnitId,
    rows: Option<&[Vec<String>]>,
) -> Result<Vec<RosterEntry>, Response> {
    let t = user.t;
    let step = match rows.map(parse_rows) {
        Some(Ok(entries)) => return Ok(entries),
        Some(Err(errors)) => Step::Rejected {
            errors: error_rows(&errors, t),
        },
        None => Step::Upload {
            error: Some(t.s("roster.error.not_xlsx")),
        },
    };
    Err(render_step(state, user, id, step, StatusCode::UNPROCESSABLE_ENTITY).await)
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    multipart: Multipart,
) -> Response {
    let t = user.t;
    let allowed = app::roster::may_import(&state.app, &user.caller.scope, id);
    let limits = state.config.document_limits();
    let too_large = async |state: &AppState, user: &CurrentUser| {
        let error = Some(t.s("roster.error.too_large"));
        let step = Step::Upload { error };
        render_step(state, user, id, step, StatusCode::PAYLOAD_TOO_LARGE).await
    };
    let mut submitted =
        match multipart::receive(multipart, &state.app, &user.caller, limits, allowed).await {
            Ok(submitted) => submitted,
            Err(multipart::Rejected::Form(multipart::Refused::TooLarge)) => {
                return too_large(&state, &user).await;
            }
            Err(rejected) => return user.fail(rejected.into_error()).into_response(),
        };
    let mut file = None;
    for upload in submitted.take_files("file") {
        match upload.read().await {
            Ok(bytes) if !bytes.is_empty() => file = Some(bytes),
            Ok(_) => {}
            Err(e) => return user.fail(app::Error::Io(e.to_string())).into_response(),
        }
    }
    let rows = file.and_then(|b| crate::xlsx::read_first_sheet(&b));
    let entries = match entries_or_page(&state, &user, id, rows.as_deref()).await {
        Ok(entries) => entries,
        Err(page) => return page,
    };
    match app::roster::taken_usernames(&state.app, &entries).await {
        Ok(taken) if !taken.is_empty() => {
            return render_step(
                &state,
                &user,
                id,
                Step::Rejected {
                    errors: error_rows(&taken, t),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Ok(_) => {}
        Err(e) => return user.fail(e).into_response(),
    }
    if entries.is_empty() {
        return render_step(
            &state,
            &user,
            id,
            Step::Upload {
                error: Some(t.s("roster.error.empty")),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let preview = entries
        .iter()
        .map(|e| PreviewRow {
            row: e.row,
            grade_group: e.grade_group.clone().unwrap_or_default(),
            class: e.class.clone().unwrap_or_default(),
            name: e
                .person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            phone: e
                .person
                .as_ref()
                .and_then(|p| p.phone.clone())
                .unwrap_or_default(),
            role: e
                .person
                .as_ref()
                .map(|p| t.s(&p.role.label_key()).to_owned())
                .unwrap_or_default(),
            username: e
                .person
                .as_ref()
                .and_then(|p| p.username.clone())
                .unwrap_or_default(),
        })
        .collect();
    let payload = serde_json::to_string(&rows).unwrap_or_default();
    render_step(
        &state,
        &user,
        id,
        Step::Preview {
            rows: preview,
            payload,
        },
        StatusCode::OK,
    )
    .await
}
