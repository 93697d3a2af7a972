//! `GET /units/{id}/hazards` (and `/hazards` for my own unit): the hazard ledger (隱患台賬)
//! of a school, a central school or the county, filtered by school, found-on dates,
//! category, state, severity, place and overdue (issue 8); printable on A4 with the filter
//! it was read with. A refused filter comes back with its value and the accepted form.

use super::{HazardLine, line};
use crate::AppState;
use crate::form::Choice;
use crate::i18n::Tr;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::ledger::{Ledger, LedgerQuery, Lines};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Invalid;
use domain::hazard::{Category, HazardState, Severity};
use domain::ids::OrgUnitId;
use domain::org::UnitKind;
use domain::role::Permission;

/// A refused filter: the field's label and what to do about it.
pub struct FilterError {
    pub field: &'static str,
    pub label: &'static str,
    pub message: String,
}

/// The refused filters of `invalid` in the reader's language, each with the value given.
pub fn filter_errors(invalid: &Invalid, t: Tr) -> Vec<FilterError> {
    invalid
        .0
        .iter()
        .map(|e| FilterError {
            field: e.field,
            label: t.s(&format!("ledger.filter.{}", e.field)),
            message: t.f(e.message, &[("value", e.value.as_deref().unwrap_or(""))]),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "hazards/ledger.html")]
struct LedgerPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    q: LedgerQuery,
    query: String,
    states: Vec<Choice>,
    severities: Vec<Choice>,
    categories: Vec<Choice>,
    schools: Vec<Choice>,
    /// The filters in force, for the printed page.
    applied: Vec<(&'static str, String)>,
    errors: Vec<FilterError>,
    lines: Vec<HazardLine>,
    totals: app::LedgerTotals,
    chart: String,
    can_report: bool,
    many_schools: bool,
}

/// `GET /hazards`: my own unit's ledger.
pub async fn mine(user: CurrentUser) -> Response {
    match app::status::home_unit(&user.caller.scope) {
        Some(id) => Redirect::to(&format!("/units/{id}/hazards")).into_response(),
        None => user.fail(app::Error::NotFound).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let t = user.t;
    let today = state.app.today();
    let scope = &user.caller.scope;
    let ledger = match app::ledger::read(&state.app, scope, id, &q, Lines::Page).await {
        Ok(ledger) => ledger,
        Err(e) => return user.fail(e).into_response(),
    };
    let (lines, totals, chart, errors) = match &ledger.found {
        Ok(found) => {
            let (totals, trend) =
                match app::ledger::overview(&state.app, scope, &ledger.unit, &found.filter).await {
                    Ok(read) => read,
                    Err(e) => return user.fail(e).into_response(),
                };
            let lines: Vec<HazardLine> = found
                .hazards
                .iter()
                .map(|h| line(t, h, ledger.school_name(h.school_id), today))
                .collect();
            (lines, totals, trend_chart(t, today, &trend), Vec::new())
        }
        Err(invalid) => (
            Vec::new(),
            app::LedgerTotals::default(),
            String::new(),
            filter_errors(invalid, t),
        ),
    };
    let Ledger { unit, schools, .. } = ledger;
    let states = Choice::list(
        std::iter::once(("open", t.s("hazard.open"))).chain(
            HazardState::ALL
                .iter()
                .map(|s| (s.code(), t.s(&s.label_key()))),
        ),
        q.state.trim(),
    );
    let severities = Choice::list(
        Severity::ALL
            .iter()
            .map(|s| (s.code(), t.s(&s.label_key()))),
        q.severity.trim(),
    );
    let categories = Choice::list(
        Category::ALL
            .iter()
            .map(|c| (c.code(), t.s(&c.label_key()))),
        q.category.trim(),
    );
    let schools = Choice::list(
        schools.iter().map(|s| (s.id.to_string(), s.name.clone())),
        q.school.trim(),
    );
    let applied = applied(t, &q, [&states, &severities, &categories, &schools]);
    render(&LedgerPage {
        c: Chrome::new(&user.caller, t, "hazards"),
        unit_id: unit.id.to_string(),
        unit_name: unit.name.clone(),
        query: serde_urlencoded::to_string(&q).unwrap_or_default(),
        totals,
        chart,
        can_report: unit.kind == UnitKind::School
            && scope.can(Permission::RecordActivity, &unit.path),
        many_schools: unit.kind != UnitKind::School,
        q,
        states,
        severities,
        categories,
        schools,
        applied,
        errors,
        lines,
    })
}

/// The filters in force as (label, value) lines, in the order of the form.
fn applied(
    t: Tr,
    q: &LedgerQuery,
    [states, severities, categories, schools]: [&Vec<Choice>; 4],
) -> Vec<(&'static str, String)> {
    let chosen =
        |choices: &Vec<Choice>| choices.iter().find(|c| c.selected).map(|c| c.label.clone());
    [
        ("school", chosen(schools)),
        ("category", chosen(categories)),
        ("state", chosen(states)),
        ("severity", chosen(severities)),
        (
            "place",
            Some(q.place.trim().to_owned()).filter(|p| !p.is_empty()),
        ),
        (
            "from",
            Some(q.from.trim().to_owned()).filter(|d| !d.is_empty()),
        ),
        ("to", Some(q.to.trim().to_owned()).filter(|d| !d.is_empty())),
        (
            "overdue",
            q.overdue
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|_| t.s("common.yes").to_owned()),
        ),
    ]
    .into_iter()
    .filter_map(|(field, value)| Some((t.s(&format!("ledger.filter.{field}")), value?)))
    .collect()
}

/// Every one of the last 12 months, empty ones too, so the chart reads as a trend.
fn trend_chart(t: Tr, today: time::Date, trend: &[(String, i64, i64)]) -> String {
    let mut months = Vec::new();
    let mut month = domain::calendar::YearMonth::of(today);
    for _ in 0..12 {
        months.push(month.code());
        month = month.previous();
    }
    months.reverse();
    let count = |m: &String, closed: bool| {
        trend
            .iter()
            .find(|(code, _, _)| code == m)
            .map_or(0, |(_, f, c)| if closed { *c } else { *f })
    };
    crate::chart::grouped_bars(
        &months,
        &[
            (t.s("hazard.found"), "found"),
            (t.s("hazard.closed"), "closed"),
        ],
        &[
            months.iter().map(|m| count(m, false)).collect(),
            months.iter().map(|m| count(m, true)).collect(),
        ],
        t.s("hazard.trend"),
    )
}
