//! `GET /units/{id}/matrix` (and `/matrix` for my own unit): for a central school or the
//! bureau, every school × every obligation due in the span, coloured by state, each cell
//! opening the school's calendar (R-POL-2, R-ASM-2).

use super::{SpanQuery, StatusBadge, badge, load, title};
use crate::AppState;
use crate::i18n::Tr;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::status::Board;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::engine::Status;
use domain::ids::OrgUnitId;

/// The matrix, ready for a page or a sheet.
pub struct Matrix {
    /// Obligations due in the span for at least one school: id and title.
    pub columns: Vec<(String, String)>,
    pub rows: Vec<MatrixRow>,
    /// Obligations Xiao'an cannot record yet, left out of the columns.
    pub untracked: usize,
}

pub struct MatrixRow {
    pub school_id: String,
    pub school_name: String,
    pub cells: Vec<Status>,
    /// How many cells need action: missed, overdue, due.
    pub behind: usize,
}

/// Runs the engine for every school of the board.
pub fn compute(board: &Board, t: Tr) -> Matrix {
    let mut rows = Vec::new();
    let mut columns: Vec<(String, String)> = Vec::new();
    let mut per_school = Vec::new();
    let mut untracked = std::collections::BTreeSet::new();
    for school in &board.schools {
        let calendar = board.calendar_of(school);
        let states: Vec<(String, String, Status)> = board
            .states(school, &calendar)
            .iter()
            .map(|s| (s.obligation.id.clone(), title(t, s.obligation), s.status))
            .collect();
        for (id, name, status) in &states {
            match status {
                Status::NotTracked => {
                    untracked.insert(id.clone());
                }
                Status::NotDue | Status::NotApplicable => {}
                _ => {
                    if !columns.iter().any(|(c, _)| c == id) {
                        columns.push((id.clone(), name.clone()));
                    }
                }
            }
        }
        per_school.push((school, states));
    }
    for (school, states) in per_school {
        let cells: Vec<Status> = columns
            .iter()
            .map(|(id, _)| {
                states
                    .iter()
                    .find(|(s, _, _)| s == id)
                    .map_or(Status::NotApplicable, |(_, _, st)| *st)
            })
            .collect();
        rows.push(MatrixRow {
            school_id: school.id.to_string(),
            school_name: school.name.clone(),
            behind: cells.iter().filter(|s| s.needs_action()).count(),
            cells,
        });
    }
    Matrix {
        columns,
        rows,
        untracked: untracked.len(),
    }
}

/// A row ready for the page.
pub struct RowView {
    pub school_id: String,
    pub school_name: String,
    pub behind: usize,
    pub cells: Vec<StatusBadge>,
}

#[derive(Template)]
#[template(path = "work/matrix.html")]
struct MatrixPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    span_label: String,
    span_query: String,
    month: String,
    is_term: bool,
    neighbours: Option<(String, String)>,
    columns: Vec<(String, String)>,
    rows: Vec<RowView>,
    untracked_label: String,
    legend: Vec<StatusBadge>,
}

/// `GET /matrix`: my own unit's matrix.
pub async fn mine(user: CurrentUser) -> Response {
    match app::status::home_unit(&user.caller.scope) {
        Some(id) => Redirect::to(&format!("/units/{id}/matrix")).into_response(),
        None => user.fail(app::Error::NotFound).into_response(),
    }
}

pub async fn show(
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
    let rows = matrix
        .rows
        .into_iter()
        .map(|r| RowView {
            school_id: r.school_id,
            school_name: r.school_name,
            behind: r.behind,
            cells: r.cells.into_iter().map(|s| badge(t, s)).collect(),
        })
        .collect();
    let legend = [
        Status::Done,
        Status::Due,
        Status::Overdue,
        Status::Missed,
        Status::Upcoming,
        Status::NotApplicable,
    ]
    .into_iter()
    .map(|s| badge(t, s))
    .collect();
    render(&MatrixPage {
        c: Chrome::new(&user.caller, t, "matrix"),
        unit_id: board.unit.id.to_string(),
        unit_name: board.unit.name.clone(),
        span_label: span.label(),
        span_query: span.query.clone(),
        month: span.month.clone().unwrap_or_default(),
        is_term: span.is_term,
        neighbours: span.neighbours(),
        columns: matrix.columns,
        rows,
        untracked_label: t.f("work.untracked", &[("n", &matrix.untracked.to_string())]),
        legend,
    })
}
