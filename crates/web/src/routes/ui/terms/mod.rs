//! The school-year calendar of a unit (R-CAL-1): its terms and holidays, or the calendar it
//! follows from above; one file per action.

pub mod holiday_add;
pub mod holiday_remove;
pub mod show;
pub mod term_add;
pub mod term_remove;

use crate::AppState;
use crate::form::FieldErrors;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::calendar::{HolidayForm, TermForm};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::OrgUnitId;
use domain::role::Permission;

/// A term or holiday line.
pub struct Line {
    pub id: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "terms/show.html")]
struct TermsPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    inherited: bool,
    inherited_from: Option<(String, String)>,
    terms: Vec<Line>,
    holidays: Vec<Line>,
    effective_terms: Vec<Line>,
    can_change: bool,
    term: TermForm,
    term_errors: FieldErrors,
    holiday: HolidayForm,
    holiday_errors: FieldErrors,
}

/// What a failed form brings back.
#[derive(Default)]
pub struct Failed {
    pub term: Option<(TermForm, FieldErrors)>,
    pub holiday: Option<(HolidayForm, FieldErrors)>,
}

pub async fn render_terms(
    state: &AppState,
    user: &CurrentUser,
    id: OrgUnitId,
    failed: Failed,
    status: StatusCode,
) -> Response {
    let t = user.t;
    let cal = match app::calendar::of_unit(&state.app, &user.caller.scope, id).await {
        Ok(c) => c,
        Err(e) => return user.fail(e).into_response(),
    };
    let term_text = |term: &domain::calendar::Term| {
        t.f(
            "terms.term_line",
            &[
                ("year", &term.school_year.to_string()),
                ("next", &(term.school_year + 1).to_string()),
                ("n", t.s(&format!("terms.number_{}", term.number))),
                ("starts", &format_date(term.starts)),
                ("mid", &format_date(term.mid)),
                ("ends", &format_date(term.ends)),
            ],
        )
    };
    let (term, term_errors) = failed.term.unwrap_or_default();
    let (holiday, holiday_errors) = failed.holiday.unwrap_or_default();
    let page = render(&TermsPage {
        c: Chrome::new(&user.caller, t, "calendar"),
        unit_id: cal.unit.id.to_string(),
        unit_name: cal.unit.name.clone(),
        inherited: cal.inherited,
        inherited_from: cal
            .inherited_from
            .as_ref()
            .map(|u| (u.id.to_string(), u.name.clone())),
        terms: cal
            .own_terms
            .iter()
            .map(|s| Line {
                id: s.id.to_string(),
                text: term_text(&s.term),
            })
            .collect(),
        holidays: cal
            .own_holidays
            .iter()
            .map(|s| Line {
                id: s.id.to_string(),
                text: if s.holiday.starts == s.holiday.ends {
                    format!("{} {}", format_date(s.holiday.starts), s.holiday.name)
                } else {
                    format!(
                        "{} – {} {}",
                        format_date(s.holiday.starts),
                        format_date(s.holiday.ends),
                        s.holiday.name
                    )
                },
            })
            .collect(),
        effective_terms: cal
            .effective
            .terms
            .iter()
            .map(|term| Line {
                id: String::new(),
                text: term_text(term),
            })
            .collect(),
        can_change: user.caller.scope.can(Permission::ManageOrg, &cal.unit.path),
        term,
        term_errors,
        holiday,
        holiday_errors,
    });
    (status, page).into_response()
}
