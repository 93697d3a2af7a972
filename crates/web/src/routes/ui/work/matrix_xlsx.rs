//! `GET /units/{id}/matrix.xlsx`: the matrix as a spreadsheet for the bureau's files.

use super::matrix::compute;
use super::{SpanQuery, load};
use crate::AppState;
use crate::session::CurrentUser;
use crate::xlsx::{Cell, write_sheet, xlsx_response};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::OrgUnitId;

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<SpanQuery>,
) -> Response {
    let t = user.t;
    let (board, span) = match load(&state, &user, id, &q).await {
        Ok(loaded) => loaded,
        Err(e) => return user.fail(e).into_response(),
    };
    let matrix = compute(&board, t);
    let mut header_row = vec![t.s("work.school"), t.s("work.behind")];
    header_row.extend(matrix.columns.iter().map(|(_, name)| name.as_str()));
    let rows: Vec<Vec<Cell>> = matrix
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![Cell::from(r.school_name.clone()), Cell::from(r.behind)];
            row.extend(r.cells.iter().map(|s| Cell::from(t.s(&s.label_key()))));
            row
        })
        .collect();
    let bytes = match write_sheet(t.s("work.matrix"), &header_row, &rows) {
        Ok(bytes) => bytes,
        Err(e) => {
            return user
                .fail(app::Error::Io(format!("matrix export: {e}")))
                .into_response();
        }
    };
    let name = format!(
        "matrix-{}-{}.xlsx",
        format_date(span.from),
        format_date(span.to)
    );
    xlsx_response(&name, bytes)
}
