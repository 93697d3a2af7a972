//! What the home page says about work (R-POL-2): for a person at a school, what they must
//! do today and this week, overdue first; for a supervisor, which schools are behind this
//! month and on what.

use super::{StatusBadge, badge, badge_on, title};
use crate::AppState;
use crate::i18n::Tr;
use app::auth::Caller;
use domain::calendar::{format_date, month_bounds};
use domain::engine::{Status, week_start};
use domain::org::UnitKind;
use time::Duration;

/// One thing I must do.
pub struct WorkItem {
    pub title: String,
    pub badge: StatusBadge,
    pub deadline: String,
    pub this_week: bool,
    pub href: String,
}

/// A school that is behind.
pub struct BehindSchool {
    pub id: String,
    pub name: String,
    /// How many obligations are missed or overdue.
    pub count: usize,
    /// The obligations it is behind on, by title.
    pub late: String,
    /// The obligations still open that fall due by the end of the month.
    pub soon: String,
}

/// The work section of the home page.
#[derive(Default)]
pub struct WorkSection {
    pub unit_id: String,
    pub items: Vec<WorkItem>,
    pub behind: Vec<BehindSchool>,
    pub is_supervisor: bool,
    pub schools_total: usize,
}

/// Computes the section; `None` when the caller has no home unit.
pub async fn my_work(
    state: &AppState,
    caller: &Caller,
    t: Tr,
) -> Result<Option<WorkSection>, app::Error> {
    let scope = &caller.scope;
    let Some(home) = app::status::home_unit(scope) else {
        return Ok(None);
    };
    let today = state.app.today();
    let (month_start, month_end) = month_bounds(today.year(), today.month());
    let week_end = week_start(today) + Duration::days(6);
    let to = month_end.max(week_end);
    // From the start of last month: last month's report, due in the first days of this
    // one, and work still overdue are on the page until done.
    let last_month = month_start - Duration::days(1);
    let (from, _) = month_bounds(last_month.year(), last_month.month());
    let board = app::status::board(&state.app, scope, home, from, to).await?;
    let unit = &board.unit;
    let mut section = WorkSection {
        unit_id: unit.id.to_string(),
        is_supervisor: unit.kind != UnitKind::School,
        schools_total: board.schools.len(),
        ..WorkSection::default()
    };
    let my_roles: Vec<_> = scope.roles().collect();
    for school in &board.schools {
        let calendar = board.calendar_of(school);
        let states = board.states(school, &calendar);
        if section.is_supervisor {
            // This month's business: periods whose deadline falls in it or later.
            let this_month = |s: &&domain::engine::ObligationState<'_>, wanted: &[Status]| {
                s.obligation.is_tracked()
                    && s.periods.iter().any(|p| {
                        wanted.contains(&p.status)
                            && p.deadline >= month_start
                            && p.deadline <= month_end.max(today)
                    })
            };
            let late: Vec<String> = states
                .iter()
                .filter(|s| this_month(s, &[Status::Missed, Status::Overdue]))
                .map(|s| title(t, s.obligation))
                .collect();
            let soon: Vec<String> = states
                .iter()
                .filter(|s| this_month(s, &[Status::Due]))
                .map(|s| title(t, s.obligation))
                .collect();
            if !late.is_empty() || !soon.is_empty() {
                section.behind.push(BehindSchool {
                    id: school.id.to_string(),
                    name: school.name.clone(),
                    count: late.len(),
                    late: late.join("、"),
                    soon: soon.join("、"),
                });
            }
            continue;
        }
        for s in &states {
            if !s.obligation.is_tracked() || !my_roles.contains(&s.obligation.role) {
                continue;
            }
            // The period that waits on me: an overdue one first, else the next deadline. A
            // missed (closed) period is not work any more.
            let Some(p) = s
                .periods
                .iter()
                .filter(|p| p.status.needs_action())
                .min_by_key(|p| (p.status != Status::Overdue, p.deadline))
            else {
                continue;
            };
            section.items.push(WorkItem {
                title: title(t, s.obligation),
                badge: badge_on(t, p.status, Some(p.deadline), today),
                deadline: format_date(p.deadline),
                this_week: p.deadline <= week_end,
                href: format!("/units/{}/calendar#ob-{}", school.id, s.obligation.id),
            });
        }
    }
    if !section.is_supervisor {
        // Hazards I must rectify (R-HZD-3), overdue ones marked so.
        let mine = store::HazardFilter {
            open: true,
            responsible: Some(caller.user.person_id),
            limit: 50,
            ..store::HazardFilter::default()
        };
        for h in state.app.db.hazards(scope, unit, &mine).await? {
            let status = if h.is_overdue(today) {
                Status::Overdue
            } else {
                Status::Due
            };
            section.items.push(WorkItem {
                title: t.f("work.hazard_item", &[("place", &h.place)]),
                badge: badge(t, status),
                deadline: h.deadline.map(format_date).unwrap_or_default(),
                this_week: h.deadline.is_some_and(|d| d <= week_end),
                href: format!("/hazards/{}", h.id),
            });
        }
    }
    if !section.is_supervisor && scope.can(domain::role::Permission::ManageHazards, &unit.path) {
        // Equipment due for its monthly check, or expired (GB 50444-2008 §5.2).
        for e in state.app.db.equipment(scope, unit).await? {
            let status = match e.state(today) {
                domain::place::EquipmentState::Ok => continue,
                domain::place::EquipmentState::CheckDue => Status::Due,
                domain::place::EquipmentState::Expired => Status::Overdue,
            };
            section.items.push(WorkItem {
                title: t.f(
                    "work.equipment_item",
                    &[("place", &e.place), ("label", &e.label)],
                ),
                badge: badge(t, status),
                deadline: e.check_due_on().map(format_date).unwrap_or_default(),
                this_week: true,
                href: format!("/units/{}/places", unit.id),
            });
        }
    }
    let rank = |item: &WorkItem| match item.badge.code {
        "missed" => 0,
        "overdue" => 1,
        _ => 2,
    };
    section
        .items
        .sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.deadline.cmp(&b.deadline)));
    section
        .behind
        .sort_by(|a, b| b.count.cmp(&a.count).then(b.soon.len().cmp(&a.soon.len())));
    Ok(Some(section))
}
