//! Reminders (issue 3, R-POL-2): which obligations a person should be reminded of today —
//! shortly before a deadline, and once when it is overdue — and the key that makes each
//! reminder happen once, across restarts.

use crate::engine::{ObligationState, Status};
use crate::ids::{OrgUnitId, UserId};
use crate::role::Role;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// Why a reminder is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// The deadline is close and it is not done.
    Before,
    /// The period has ended and it is not done.
    Overdue,
}

impl ReminderKind {
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::Before => "before",
            ReminderKind::Overdue => "overdue",
        }
    }
}

/// One reminder to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub obligation_id: String,
    pub kind: ReminderKind,
    pub period_starts: Date,
    pub deadline: Date,
    pub status: Status,
}

impl DueReminder {
    /// What makes it unique: one reminder per person, school, obligation, period and kind.
    pub fn key(&self, user: UserId, school: OrgUnitId) -> String {
        format!(
            "{user}/{school}/{}/{}/{}",
            self.obligation_id,
            self.period_starts,
            self.kind.code()
        )
    }
}

/// The reminders a person holding `roles` at a school should get today, given that school's
/// obligation states; `days_before` is how early a deadline is announced.
pub fn due_reminders(
    states: &[ObligationState<'_>],
    roles: &[Role],
    today: Date,
    days_before: u16,
) -> Vec<DueReminder> {
    let mut out = Vec::new();
    for state in states {
        if !roles.contains(&state.obligation.role) || !state.obligation.is_tracked() {
            continue;
        }
        for p in &state.periods {
            let kind = match p.status {
                Status::Due if p.deadline - today <= Duration::days(i64::from(days_before)) => {
                    ReminderKind::Before
                }
                // Overdue only while the policy's overdue days run; missed work is closed,
                // for the supervisors' view.
                Status::Overdue => ReminderKind::Overdue,
                _ => continue,
            };
            out.push(DueReminder {
                obligation_id: state.obligation.id.clone(),
                kind,
                period_starts: p.starts,
                deadline: p.deadline,
                status: p.status,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{SchoolCalendar, Term};
    use crate::engine::{EvidenceSet, Question, evaluate};
    use crate::org::{SchoolKind, SchoolProfile};
    use crate::policy::Policy;
    use time::macros::date;

    fn reminders(today: Date, roles: &[Role]) -> Vec<DueReminder> {
        let policy = Policy::default_policy();
        let calendar = SchoolCalendar::new(
            vec![Term::parse("2026", "1", "2026-09-01", "2026-11-09", "2027-01-22").unwrap()],
            Vec::new(),
        );
        let school = SchoolProfile {
            kind: SchoolKind::Primary,
            boarding: false,
            has_canteen: false,
        };
        let q = Question {
            school: &school,
            calendar: &calendar,
            from: date!(2026 - 11 - 01),
            to: date!(2026 - 11 - 30),
            today,
        };
        let none = EvidenceSet::default();
        let states = evaluate(&policy, &q, &none);
        due_reminders(&states, roles, today, 3)
    }

    #[test]
    fn a_deadline_is_announced_days_before_and_only_to_who_owns_it() {
        let early = reminders(date!(2026 - 11 - 20), &[Role::Principal]);
        assert!(
            early
                .iter()
                .all(|r| r.obligation_id != "leadership_meeting")
        );
        let close = reminders(date!(2026 - 11 - 28), &[Role::Principal]);
        let meeting = close
            .iter()
            .find(|r| r.obligation_id == "leadership_meeting")
            .unwrap();
        assert_eq!(meeting.kind, ReminderKind::Before);
        assert!(
            reminders(date!(2026 - 11 - 28), &[Role::Teacher])
                .iter()
                .all(|r| r.obligation_id != "leadership_meeting"),
            "the meeting is the principal's"
        );
    }

    #[test]
    fn keys_differ_by_period_and_kind() {
        let r = DueReminder {
            obligation_id: "leadership_meeting".into(),
            kind: ReminderKind::Before,
            period_starts: date!(2026 - 11 - 01),
            deadline: date!(2026 - 11 - 30),
            status: Status::Due,
        };
        let (u, s) = (UserId::new(), OrgUnitId::new());
        let overdue = DueReminder {
            kind: ReminderKind::Overdue,
            ..r.clone()
        };
        assert_ne!(r.key(u, s), overdue.key(u, s));
    }
}
