//! `GET /units/{id}/calendar` (and `/calendar` for my own school): a school's month — school
//! days and holidays, what was recorded each day, what falls due — and every obligation's
//! state with its records (R-CAL-1, R-POL-2).

use super::{RecordLink, SpanQuery, StatusBadge, badge, badge_on, load, record_link, title};
use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::calendar::{days, format_date};
use domain::engine::Status;
use domain::evidence::{Recorder, kind_of};
use domain::ids::OrgUnitId;
use domain::org::UnitKind;
use domain::role::Permission;
use time::{Duration, Weekday};

/// One day of the month grid.
pub struct DayCell {
    pub day: u8,
    pub date: String,
    pub in_month: bool,
    pub school_day: bool,
    pub holiday: Option<String>,
    pub today: bool,
    pub records: Vec<RecordLink>,
    /// Obligations whose period ends this day and are not done.
    pub deadlines: Vec<(String, StatusBadge)>,
}

/// One obligation's line under the grid.
pub struct ObligationLine {
    pub id: String,
    pub title: String,
    pub role: &'static str,
    pub serves: String,
    pub badge: StatusBadge,
    pub period: String,
    pub deadline: String,
    pub records: Vec<RecordLink>,
    /// A link to record it, when an activity record satisfies it.
    pub record_href: Option<String>,
}

#[derive(Template)]
#[template(path = "work/calendar.html")]
struct CalendarPage {
    c: Chrome,
    school_id: String,
    school_name: String,
    span_label: String,
    month: String,
    neighbours: Option<(String, String)>,
    weeks: Vec<Vec<DayCell>>,
    weekdays: Vec<&'static str>,
    has_calendar: bool,
    can_record: bool,
    can_set_calendar: bool,
    act: Vec<ObligationLine>,
    done: Vec<ObligationLine>,
    later: Vec<ObligationLine>,
    untracked: Vec<ObligationLine>,
    untracked_label: String,
}

/// Where to record what satisfies an obligation: the activity form or a checklist.
fn record_link_for(
    school: domain::ids::OrgUnitId,
    obligation: &str,
    evidence: &[domain::policy::EvidenceRule],
) -> Option<String> {
    evidence.iter().find_map(|e| match kind_of(&e.kind)?.recorder {
        Recorder::Activity => {
            let subtype = e.subtypes.first().map(String::as_str).unwrap_or_default();
            Some(format!(
                "/units/{school}/activities/new?kind={}&subtype={subtype}&obligation={obligation}",
                e.kind
            ))
        }
        Recorder::Inspection => domain::checklist::template_for(&e.kind, &e.subtypes)
            .map(|t| format!("/units/{school}/inspections/new?template={}", t.code)),
        Recorder::Report => Some(format!("/units/{school}/reports")),
        Recorder::Pending => None,
    })
}

/// `GET /calendar`: my own school's calendar.
pub async fn mine(user: CurrentUser) -> Response {
    match app::status::home_unit(&user.caller.scope) {
        Some(id) => Redirect::to(&format!("/units/{id}/calendar")).into_response(),
        None => user.fail(app::Error::NotFound).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
    Query(q): Query<SpanQuery>,
) -> Response {
    let scope = &user.caller.scope;
    let t = user.t;
    let today = state.app.today();
    let (board, span) = match load(&state, &user, id, &q).await {
        Ok(loaded) => loaded,
        Err(e) => return user.fail(e).into_response(),
    };
    if board.unit.kind != UnitKind::School {
        // A supervisor's calendar is the matrix of its schools.
        return Redirect::to(&format!("/units/{id}/matrix")).into_response();
    }
    let Some(school) = board.schools.first() else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let calendar = board.calendar_of(school);
    let states = board.states(school, &calendar);

    // The grid: whole weeks, Monday first.
    let first =
        span.from - Duration::days(i64::from(span.from.weekday().number_days_from_monday()));
    let last = span.to + Duration::days(i64::from(6 - span.to.weekday().number_days_from_monday()));
    let records = board.records(school);
    let mut weeks: Vec<Vec<DayCell>> = Vec::new();
    for date in days(first, last) {
        if date.weekday() == Weekday::Monday {
            weeks.push(Vec::new());
        }
        let deadlines = states
            .iter()
            .filter(|s| s.status != Status::NotTracked)
            .flat_map(|s| s.periods.iter().map(move |p| (s, p)))
            .filter(|(_, p)| p.ends == date && p.status.needs_action())
            .map(|(s, p)| (title(t, s.obligation), badge(t, p.status)))
            .collect();
        let cell = DayCell {
            day: date.day(),
            date: format_date(date),
            in_month: date >= span.from && date <= span.to,
            school_day: calendar.is_school_day(date),
            holiday: calendar
                .holidays
                .iter()
                .find(|h| h.starts <= date && date <= h.ends)
                .map(|h| h.name.clone()),
            today: date == today,
            records: records
                .iter()
                .filter(|e| e.on == date)
                .map(|e| record_link(t, e))
                .collect(),
            deadlines,
        };
        if let Some(week) = weeks.last_mut() {
            week.push(cell);
        }
    }

    let can_record = scope.can(Permission::RecordActivity, &school.path);
    let mut act = Vec::new();
    let mut done = Vec::new();
    let mut later = Vec::new();
    let mut untracked = Vec::new();
    let order = |s: Status| match s {
        Status::Missed => 0,
        Status::Overdue => 1,
        Status::Due => 2,
        _ => 3,
    };
    let mut states = states;
    states.sort_by_key(|s| order(s.status));
    for s in &states {
        if matches!(s.status, Status::NotApplicable | Status::NotDue) {
            continue;
        }
        let focus = s.focus();
        let record_href = can_record
            .then(|| record_link_for(school.id, &s.obligation.id, &s.obligation.evidence))
            .flatten();
        let line = ObligationLine {
            id: s.obligation.id.clone(),
            title: title(t, s.obligation),
            role: t.s(&s.obligation.role.label_key()),
            serves: s.obligation.serves.join(" "),
            badge: badge_on(t, s.status, focus.map(|p| p.deadline), board.today),
            period: focus.map_or_else(String::new, |p| {
                if p.starts == p.ends {
                    format_date(p.starts)
                } else {
                    format!("{} – {}", format_date(p.starts), format_date(p.ends))
                }
            }),
            deadline: focus.map_or_else(String::new, |p| format_date(p.deadline)),
            records: s
                .periods
                .iter()
                .flat_map(|p| p.records.iter())
                .map(|e| record_link(t, e))
                .collect(),
            record_href,
        };
        match s.status {
            Status::NotTracked => untracked.push(line),
            Status::Done | Status::DoneLate => done.push(line),
            Status::Upcoming => later.push(line),
            _ => act.push(line),
        }
    }
    let weekdays = [
        "week.mon", "week.tue", "week.wed", "week.thu", "week.fri", "week.sat", "week.sun",
    ]
    .iter()
    .map(|k| t.s(k))
    .collect();
    render(&CalendarPage {
        c: Chrome::new(&user.caller, t, "calendar"),
        school_id: school.id.to_string(),
        school_name: school.name.clone(),
        span_label: span.label(),
        month: span.month.clone().unwrap_or_default(),
        neighbours: span.neighbours(),
        weeks,
        weekdays,
        has_calendar: !calendar.terms.is_empty(),
        can_record,
        can_set_calendar: scope.can(Permission::ManageOrg, &school.path),
        act,
        done,
        later,
        untracked_label: t.f("work.untracked", &[("n", &untracked.len().to_string())]),
        untracked,
    })
}
