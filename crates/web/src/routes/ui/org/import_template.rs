//! `GET /org/import-template.xlsx`: the roster template with its columns and sample rows.

use crate::session::CurrentUser;
use crate::xlsx::{Cell, write_sheet};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::roster::COLUMNS;

pub async fn download(user: CurrentUser) -> Response {
    let t = user.t;
    let header_row: Vec<&str> = COLUMNS
        .iter()
        .map(|c| t.s(&format!("roster.column.{c}")))
        .collect();
    let sample = |cells: [&str; 6]| cells.iter().map(|c| Cell::from(*c)).collect::<Vec<Cell>>();
    let rows = vec![
        sample([
            "",
            "",
            "王建國",
            "13800138000",
            t.s("role.principal"),
            "wang.jg",
        ]),
        sample(["一年級", "", "", "", "", ""]),
        sample([
            "一年級",
            "",
            "李秀英",
            "13800138001",
            t.s("role.grade_leader"),
            "",
        ]),
        sample([
            "一年級",
            "一年一班",
            "陳美玲",
            "13800138002",
            t.s("role.head_teacher"),
            "chen.ml",
        ]),
    ];
    match write_sheet(t.s("roster.sheet_name"), &header_row, &rows) {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"roster-template.xlsx\""),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "roster template failed");
            user.fail(app::Error::Conflict("error.internal"))
                .into_response()
        }
    }
}
