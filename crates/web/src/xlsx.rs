//! Spreadsheets: reading an uploaded .xlsx into rows of text, and writing one — the one
//! export helper every download uses (typed cells, frozen header, filter, fitted widths).

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// The rows of the first sheet as text; `None` when the file is not a readable .xlsx.
pub fn read_first_sheet(bytes: &[u8]) -> Option<Vec<Vec<String>>> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).ok()?;
    let name = workbook.sheet_names().first()?.clone();
    let range = workbook.worksheet_range(&name).ok()?;
    Some(
        range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect(),
    )
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// One cell of an export: numbers are numbers and dates are dates, so a spreadsheet can
/// sort, filter and sum them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(time::Date),
    Empty,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::from(text.to_owned())
    }
}

impl From<time::Date> for Cell {
    fn from(date: time::Date) -> Self {
        Cell::Date(date)
    }
}

impl From<Option<time::Date>> for Cell {
    fn from(date: Option<time::Date>) -> Self {
        date.map_or(Cell::Empty, Cell::Date)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Number(n as f64)
    }
}

/// How wide a cell's text shows, in character widths (a CJK character counts two).
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Writes one sheet: a bold header row that stays in view and carries a filter, columns as
/// wide as their content (within reason), numbers and dates typed. Every export uses it.
pub fn write_sheet(
    sheet_name: &str,
    header: &[&str],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for (col, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let shown = match cell {
                Cell::Text(text) => {
                    sheet.write_string(at, col, text)?;
                    display_width(text)
                }
                Cell::Number(n) => {
                    sheet.write_number(at, col, *n)?;
                    n.to_string().len()
                }
                Cell::Date(d) => {
                    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        d.year() as u16,
                        d.month() as u8,
                        d.day(),
                    )?;
                    sheet.write_datetime_with_format(at, col, &date, &date_format)?;
                    10
                }
                Cell::Empty => 0,
            };
            if let Some(width) = widths.get_mut(c) {
                *width = (*width).max(shown);
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width + 2).clamp(8, 60) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !header.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    }
    workbook.save_to_buffer()
}

/// An .xlsx download named `file_name`.
pub fn xlsx_response(file_name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}
