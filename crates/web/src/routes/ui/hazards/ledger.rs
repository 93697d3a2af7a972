//! `GET /units/{id}/hazards` (and `/hazards` for my own unit): the hazard ledger (隱患台賬)
//! of a school, a central school or the county, filtered by state, severity, place and
//! overdue; printable on A4.

use super::{HazardLine, line};
use crate::AppState;
use crate::form::Choice;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::hazard::{HazardState, Severity};
use domain::ids::OrgUnitId;
use domain::org::UnitKind;
use domain::role::Permission;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::HazardFilter;

/// The ledger's filters, as in the query string.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct LedgerQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub overdue: Option<String>,
}

/// At most this many lines on a page (the totals count them all; filters narrow them).
pub const LEDGER_LIMIT: i64 = 1000;

/// At most this many lines in an export.
pub const EXPORT_LIMIT: i64 = 200_000;

impl LedgerQuery {
    pub fn filter(&self, today: time::Date) -> HazardFilter {
        let state = self.state.trim();
        HazardFilter {
            open: state == "open",
            state: HazardState::parse(state),
            severity: Severity::parse(self.severity.trim()),
            overdue_on: self
                .overdue
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|_| today),
            place: Some(self.place.trim().to_owned()).filter(|p| !p.is_empty()),
            limit: LEDGER_LIMIT,
            ..HazardFilter::default()
        }
    }
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
    lines: Vec<HazardLine>,
    totals: store::LedgerTotals,
    chart: String,
    can_report: bool,
    many_schools: bool,
}

/// The school names of the lines, by id.
pub async fn school_names(state: &AppState, user: &CurrentUser) -> HashMap<OrgUnitId, String> {
    state
        .app
        .db
        .units(&user.caller.scope)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.kind == UnitKind::School)
        .map(|u| (u.id, u.name))
        .collect()
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
    let filter = q.filter(today);
    let unit = match state.app.db.unit(scope, id).await {
        Ok(unit) => unit,
        Err(e) => return user.fail(e).into_response(),
    };
    // The lines, the totals and the trend are three reads: made side by side.
    let year_ago = today - time::Duration::days(365);
    let found = tokio::join!(
        state.app.db.hazards(scope, &unit, &filter),
        state.app.db.hazard_totals(scope, &unit, &filter, today),
        state.app.db.hazard_trend(scope, &unit, year_ago),
    );
    let (hazards, totals, trend) = match found {
        (Ok(hazards), Ok(totals), Ok(trend)) => (hazards, totals, trend),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return user.fail(e).into_response(),
    };
    // Every one of the last 12 months, empty ones too, so the chart reads as a trend.
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
    let chart = crate::chart::grouped_bars(
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
    );
    let names = school_names(&state, &user).await;
    let lines: Vec<HazardLine> = hazards
        .iter()
        .map(|h| {
            line(
                t,
                h,
                names.get(&h.school_id).map_or("", String::as_str),
                today,
            )
        })
        .collect();
    let states = Choice::list(
        std::iter::once(("open", t.s("hazard.open"))).chain(
            HazardState::ALL
                .iter()
                .map(|s| (s.code(), t.s(&s.label_key()))),
        ),
        &q.state,
    );
    let severities = Choice::list(
        Severity::ALL
            .iter()
            .map(|s| (s.code(), t.s(&s.label_key()))),
        &q.severity,
    );
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
        lines,
    })
}
