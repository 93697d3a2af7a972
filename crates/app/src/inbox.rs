//! The one inbox (issue 8): every step that waits on a person — obligations due or overdue
//! for the roles they hold, a hazard to assign, rectify or verify, a report to confirm,
//! equipment to check — and, for a supervisor, the schools behind this month. The home
//! page and the API both read it; a new module adds its steps here. Each step is gone as
//! soon as it is done: it is computed from the records, never stored.

use crate::auth::Caller;
use crate::{App, Result};
use domain::calendar::{YearMonth, month_bounds};
use domain::engine::{ObligationState, Status, week_start};
use domain::hazard::{Hazard, HazardState, Severity};
use domain::ids::OrgUnitId;
use domain::org::{OrgUnit, UnitKind};
use domain::policy::Title;
use domain::report::ReportState;
use domain::role::Permission;
use i18n::Tr;
use time::{Date, Duration};

/// What the person is to do.
#[derive(Debug, Clone)]
pub enum Step {
    /// An obligation of a role they hold (R-POL-2), for the period starting `period`.
    Obligation {
        id: String,
        title: Title,
        period: Date,
    },
    /// A reported hazard waits to be assigned (R-HZD-3); a major one at once.
    AssignHazard(Box<Hazard>),
    /// A hazard they are responsible for, to rectify and submit.
    RectifyHazard(Box<Hazard>),
    /// A submitted hazard waits to be verified by someone other than its rectifier.
    VerifyHazard(Box<Hazard>),
    /// A prepared monthly report waits for the principal's confirmation (R-HZD-2).
    ConfirmReport { month: YearMonth },
    /// Safety equipment due for its check, or expired (R-SEC-1).
    CheckEquipment { place: String, label: String },
}

impl Step {
    /// A stable name of the kind of step (the API's `kind`).
    pub fn code(&self) -> &'static str {
        match self {
            Step::Obligation { .. } => "obligation",
            Step::AssignHazard(_) => "assign_hazard",
            Step::RectifyHazard(_) => "rectify_hazard",
            Step::VerifyHazard(_) => "verify_hazard",
            Step::ConfirmReport { .. } => "confirm_report",
            Step::CheckEquipment { .. } => "check_equipment",
        }
    }

    /// What the step says, in the reader's language (the home page, the API, reminders).
    pub fn title(&self, t: Tr) -> String {
        match self {
            Step::Obligation { title, .. } => title.get(t.code()).to_owned(),
            Step::AssignHazard(h) if h.severity == Severity::Major => {
                t.f("work.assign_major_hazard", &[("place", &h.place)])
            }
            Step::AssignHazard(h) => t.f("work.assign_hazard", &[("place", &h.place)]),
            Step::RectifyHazard(h) => t.f("work.hazard_item", &[("place", &h.place)]),
            Step::VerifyHazard(h) => t.f("work.verify_hazard", &[("place", &h.place)]),
            Step::ConfirmReport { month } => {
                t.f("work.confirm_report", &[("month", &month.code())])
            }
            Step::CheckEquipment { place, label } => {
                t.f("work.equipment_item", &[("place", place), ("label", label)])
            }
        }
    }

    /// What the step is about, stable from one day to the next: the obligation and its
    /// period, the hazard, the month, the equipment. A reminder is sent once per subject.
    pub fn subject(&self) -> String {
        match self {
            Step::Obligation { id, period, .. } => format!("{id}/{period}"),
            Step::AssignHazard(h) | Step::RectifyHazard(h) | Step::VerifyHazard(h) => {
                h.id.to_string()
            }
            Step::ConfirmReport { month } => month.code(),
            Step::CheckEquipment { place, label } => format!("{place}/{label}"),
        }
    }
}

/// One step waiting on the person.
#[derive(Debug, Clone)]
pub struct WorkItem {
    pub step: Step,
    pub school_id: OrgUnitId,
    pub status: Status,
    pub deadline: Option<Date>,
    /// Whether it must be done this week (Monday to Sunday).
    pub this_week: bool,
    pub href: String,
}

/// A school behind this month, for a supervisor.
#[derive(Debug, Clone)]
pub struct BehindSchool {
    pub id: OrgUnitId,
    pub name: String,
    /// Obligations past their deadline this month.
    pub late: Vec<Title>,
    /// Obligations still open that fall due by the end of the month.
    pub soon: Vec<Title>,
}

/// Everything waiting on one person.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    pub unit_id: Option<OrgUnitId>,
    pub items: Vec<WorkItem>,
    pub is_supervisor: bool,
    pub schools_total: usize,
    pub behind: Vec<BehindSchool>,
}

/// The caller's inbox today; empty when they hold no role.
#[tracing::instrument(skip_all)]
pub async fn inbox(app: &App, caller: &Caller) -> Result<Inbox> {
    let scope = &caller.scope;
    let Some(home) = crate::status::home_unit(scope) else {
        return Ok(Inbox::default());
    };
    let today = app.today();
    let (month_start, month_end) = month_bounds(today.year(), today.month());
    let week_end = week_start(today) + Duration::days(6);
    // From the start of last month: last month's report, due in the first days of this
    // one, and work still overdue stay until done.
    let last_month = month_start - Duration::days(1);
    let (from, _) = month_bounds(last_month.year(), last_month.month());
    let board = crate::status::board(app, scope, home, from, month_end.max(week_end)).await?;
    let unit = board.unit.clone();
    let mut inbox = Inbox {
        unit_id: Some(unit.id),
        is_supervisor: unit.kind != UnitKind::School,
        schools_total: board.schools.len(),
        ..Inbox::default()
    };
    let my_roles: Vec<_> = scope.roles().collect();
    for school in &board.schools {
        let calendar = board.calendar_of(school);
        let states = board.states(school, &calendar);
        if inbox.is_supervisor {
            if let Some(behind) = behind(school, &states, month_start, month_end.max(today)) {
                inbox.behind.push(behind);
            }
            continue;
        }
        for s in &states {
            if !s.obligation.is_tracked() || !my_roles.contains(&s.obligation.role) {
                continue;
            }
            // The period that waits: an overdue one first, else the next deadline. A
            // missed (closed) period is not work any more.
            let Some(p) = s
                .periods
                .iter()
                .filter(|p| p.status.needs_action())
                .min_by_key(|p| (p.status != Status::Overdue, p.deadline))
            else {
                continue;
            };
            inbox.items.push(WorkItem {
                step: Step::Obligation {
                    id: s.obligation.id.clone(),
                    title: s.obligation.title.clone(),
                    period: p.starts,
                },
                school_id: school.id,
                status: p.status,
                deadline: Some(p.deadline),
                this_week: p.deadline >= today && p.deadline <= week_end,
                href: format!("/units/{}/calendar#ob-{}", school.id, s.obligation.id),
            });
        }
    }
    if !inbox.is_supervisor {
        hazard_steps(app, caller, &unit, today, week_end, &mut inbox.items).await?;
        report_steps(app, caller, &unit, &mut inbox.items).await?;
        let check_days = board
            .policy_today()
            .map_or(domain::policy::DEFAULT_EQUIPMENT_CHECK_DAYS, |p| {
                p.equipment_check_days
            });
        equipment_steps(app, caller, &unit, today, check_days, &mut inbox.items).await?;
    }
    let rank = |item: &WorkItem| match item.status {
        Status::Overdue => 0,
        _ if matches!(&item.step, Step::AssignHazard(h) if h.severity == Severity::Major) => 0,
        _ => 1,
    };
    inbox
        .items
        .sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.deadline.cmp(&b.deadline)));
    inbox.behind.sort_by(|a, b| {
        b.late
            .len()
            .cmp(&a.late.len())
            .then(b.soon.len().cmp(&a.soon.len()))
    });
    Ok(inbox)
}

/// A school's obligations past their deadline, and still open, this month.
fn behind(
    school: &OrgUnit,
    states: &[ObligationState<'_>],
    month_start: Date,
    until: Date,
) -> Option<BehindSchool> {
    let in_month = |s: &ObligationState<'_>, wanted: &[Status]| {
        s.obligation.is_tracked()
            && s.periods.iter().any(|p| {
                wanted.contains(&p.status) && p.deadline >= month_start && p.deadline <= until
            })
    };
    let titles = |wanted: &[Status]| -> Vec<Title> {
        states
            .iter()
            .filter(|s| in_month(s, wanted))
            .map(|s| s.obligation.title.clone())
            .collect()
    };
    let late = titles(&[Status::Missed, Status::Overdue]);
    let soon = titles(&[Status::Due]);
    (!late.is_empty() || !soon.is_empty()).then(|| BehindSchool {
        id: school.id,
        name: school.name.clone(),
        late,
        soon,
    })
}

/// Hazards at the school that wait on the caller: to assign, rectify or verify.
async fn hazard_steps(
    app: &App,
    caller: &Caller,
    school: &OrgUnit,
    today: Date,
    week_end: Date,
    items: &mut Vec<WorkItem>,
) -> Result<()> {
    let scope = &caller.scope;
    let open = store::HazardFilter {
        open: true,
        limit: 500,
        ..store::HazardFilter::default()
    };
    for hazard in app.db.hazards(scope, school, &open).await? {
        let manages = scope.can(Permission::ManageHazards, &hazard.school_path);
        let responsible = hazard.responsible_id == Some(caller.user.person_id);
        let rectifier = hazard.submitted_by == Some(caller.user.id);
        let step = match hazard.state {
            HazardState::Reported if manages => Step::AssignHazard(Box::new(hazard.clone())),
            HazardState::Assigned | HazardState::Rectifying if responsible => {
                Step::RectifyHazard(Box::new(hazard.clone()))
            }
            HazardState::Submitted if manages && !rectifier => {
                Step::VerifyHazard(Box::new(hazard.clone()))
            }
            _ => continue,
        };
        let deadline = match step {
            Step::RectifyHazard(_) => hazard.deadline,
            _ => None,
        };
        let status = if deadline.is_some() && hazard.is_overdue(today) {
            Status::Overdue
        } else {
            Status::Due
        };
        items.push(WorkItem {
            step,
            school_id: hazard.school_id,
            status,
            deadline,
            this_week: deadline.is_none_or(|d| d <= week_end),
            href: format!("/hazards/{}", hazard.id),
        });
    }
    Ok(())
}

/// Prepared reports that wait for the caller's confirmation.
async fn report_steps(
    app: &App,
    caller: &Caller,
    school: &OrgUnit,
    items: &mut Vec<WorkItem>,
) -> Result<()> {
    if school.kind != UnitKind::School || !caller.scope.can(Permission::ConfirmReport, &school.path)
    {
        return Ok(());
    }
    for report in app.db.school_reports(&caller.scope, school).await? {
        if report.state != ReportState::Draft {
            continue;
        }
        let deadline = crate::reports::deadline(app, &caller.scope, school, report.month).await?;
        let status = if app.today() > deadline {
            Status::Overdue
        } else {
            Status::Due
        };
        items.push(WorkItem {
            step: Step::ConfirmReport {
                month: report.month,
            },
            school_id: report.school_id,
            status,
            deadline: Some(deadline),
            this_week: true,
            href: format!("/reports/{}", report.id),
        });
    }
    Ok(())
}

/// Equipment due for its check or expired, for those who manage hazards at the school.
async fn equipment_steps(
    app: &App,
    caller: &Caller,
    school: &OrgUnit,
    today: Date,
    check_days: u16,
    items: &mut Vec<WorkItem>,
) -> Result<()> {
    if !caller.scope.can(Permission::ManageHazards, &school.path) {
        return Ok(());
    }
    for e in app.db.equipment(&caller.scope, school).await? {
        let status = match e.state(today, check_days) {
            domain::place::EquipmentState::Ok => continue,
            domain::place::EquipmentState::CheckDue => Status::Due,
            domain::place::EquipmentState::Expired => Status::Overdue,
        };
        items.push(WorkItem {
            step: Step::CheckEquipment {
                place: e.place.clone(),
                label: e.label.clone(),
            },
            school_id: school.id,
            status,
            deadline: e.check_due_on(check_days),
            this_week: true,
            href: format!("/units/{}/places", school.id),
        });
    }
    Ok(())
}
