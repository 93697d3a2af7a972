//! `GET /units/{id}/hazards.xlsx`: the ledger as filtered, as a spreadsheet — every
//! matching hazard, not only a page of them; a refused filter is refused here too.

use super::line;
use crate::AppState;
use crate::session::CurrentUser;
use crate::xlsx::{Cell, write_sheet, xlsx_response};
use app::ledger::{LedgerQuery, Lines};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::ids::OrgUnitId;

pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let t = user.t;
    let today = state.app.today();
    let read = app::ledger::read(&state.app, &user.caller.scope, id, &q, Lines::All).await;
    let (ledger, found) = match read.and_then(app::ledger::Ledger::into_found) {
        Ok(read) => read,
        Err(e) => return user.fail(e).into_response(),
    };
    let header = [
        t.s("hazard.reported_on"),
        t.s("work.school"),
        t.s("hazard.place"),
        t.s("ledger.filter.category"),
        t.s("hazard.description"),
        t.s("hazard.severity_label"),
        t.s("hazard.state_label"),
        t.s("hazard.responsible"),
        t.s("work.deadline"),
        t.s("status.overdue"),
        t.s("hazard.closed_on"),
        t.s("hazard.reported_by"),
    ];
    let rows: Vec<Vec<Cell>> = found
        .hazards
        .iter()
        .map(|h| {
            let l = line(t, h, ledger.school_name(h.school_id), today);
            vec![
                Cell::from(h.reported_on),
                Cell::from(l.school_name),
                Cell::from(l.place),
                Cell::from(l.category),
                Cell::from(l.description),
                Cell::from(l.severity),
                Cell::from(l.state),
                Cell::from(l.responsible),
                Cell::from(h.deadline),
                Cell::from(if l.overdue { t.s("common.yes") } else { "" }),
                Cell::from(h.closed_on),
                Cell::from(l.reported_by),
            ]
        })
        .collect();
    match write_sheet(t.s("hazard.ledger"), &header, &rows) {
        Ok(bytes) => xlsx_response(&format!("hazards-{}.xlsx", ledger.unit.id), bytes),
        Err(e) => user
            .fail(app::Error::Io(format!("ledger export: {e}")))
            .into_response(),
    }
}
