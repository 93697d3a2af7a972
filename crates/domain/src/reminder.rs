//! Reminders (issue 3, R-POL-2): when a piece of work waiting on a person is worth a
//! reminder — shortly before its deadline, and once when it is overdue — and the key that
//! makes each reminder happen once, across restarts. What waits on whom is the inbox's
//! to say (app::inbox); this is only the rule of timing.

use crate::engine::Status;
use crate::ids::{OrgUnitId, UserId};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// Why a reminder is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// The deadline is close and it is not done.
    Before,
    /// The deadline has passed and it is not done.
    Overdue,
}

impl ReminderKind {
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::Before => "before",
            ReminderKind::Overdue => "overdue",
        }
    }

    /// The reminder a piece of work in `status`, due on `deadline`, calls for today, if
    /// any; `days_before` is how early a deadline is announced. Work without a deadline
    /// is on the home page but not reminded of.
    pub fn due(
        status: Status,
        deadline: Option<Date>,
        today: Date,
        days_before: u16,
    ) -> Option<ReminderKind> {
        let deadline = deadline?;
        match status {
            // Overdue only while the policy's overdue days run; missed work is closed,
            // for the supervisors' view.
            Status::Overdue => Some(ReminderKind::Overdue),
            Status::Due if deadline - today <= Duration::days(i64::from(days_before)) => {
                Some(ReminderKind::Before)
            }
            _ => None,
        }
    }
}

/// What makes a reminder unique: one per person, school, piece of work (`subject`: an
/// obligation and its period, a hazard…) and kind.
pub fn reminder_key(user: UserId, school: OrgUnitId, subject: &str, kind: ReminderKind) -> String {
    format!("{user}/{school}/{subject}/{}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_deadline_is_announced_days_before_and_once_overdue() {
        let deadline = Some(date!(2026 - 11 - 30));
        let due = |today, status| ReminderKind::due(status, deadline, today, 3);
        assert_eq!(due(date!(2026 - 11 - 20), Status::Due), None);
        assert_eq!(
            due(date!(2026 - 11 - 28), Status::Due),
            Some(ReminderKind::Before)
        );
        assert_eq!(
            due(date!(2026 - 12 - 02), Status::Overdue),
            Some(ReminderKind::Overdue)
        );
        assert_eq!(due(date!(2026 - 12 - 20), Status::Missed), None);
        assert_eq!(due(date!(2026 - 11 - 28), Status::Done), None);
        assert_eq!(
            ReminderKind::due(Status::Due, None, date!(2026 - 11 - 28), 3),
            None,
            "no deadline, no reminder"
        );
    }

    #[test]
    fn keys_differ_by_subject_and_kind() {
        let (u, s) = (UserId::new(), OrgUnitId::new());
        let before = reminder_key(u, s, "leadership_meeting/2026-11-01", ReminderKind::Before);
        assert_ne!(
            before,
            reminder_key(u, s, "leadership_meeting/2026-11-01", ReminderKind::Overdue)
        );
        assert_ne!(
            before,
            reminder_key(u, s, "leadership_meeting/2026-12-01", ReminderKind::Before)
        );
    }
}
