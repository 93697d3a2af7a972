//! The policy engine (R-POL-2): for a school and a span of days, each obligation is done,
//! done late, due, overdue, missed, upcoming, not due, not applicable or not tracked yet —
//! with the periods it falls due in and the records that satisfied each. Nothing is overdue
//! before its deadline. Pure: time comes in as `today`, records as evidence.

use crate::calendar::{SchoolCalendar, days, month_bounds};
use crate::evidence::Evidence;
use crate::org::SchoolProfile;
use crate::policy::{Cadence, EvidenceRule, Obligation, Policy};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, Duration, Month, Weekday};

/// The state of an obligation, or of one of its periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Enough records by the deadline.
    Done,
    /// Enough records, but some came after the deadline (a report confirmed late).
    DoneLate,
    /// Not done yet, and its deadline (the period's end plus its grace days) has not passed.
    Due,
    /// Past its deadline and not done: reminded, and still counted as done late if done,
    /// for the policy's `[follow_up] overdue_days`.
    Overdue,
    /// Not done, and past its deadline by more than the overdue days: the period is closed.
    Missed,
    /// The period has not begun.
    Upcoming,
    /// No period of it falls in the span asked about.
    NotDue,
    /// It does not apply to this school (a kindergarten, a day school…).
    NotApplicable,
    /// Xiao'an cannot record its evidence yet.
    NotTracked,
}

impl Status {
    /// Every state, for guards that must cover them all (labels, symbols).
    pub const ALL: [Status; 9] = [
        Status::Done,
        Status::DoneLate,
        Status::Due,
        Status::Overdue,
        Status::Missed,
        Status::Upcoming,
        Status::NotDue,
        Status::NotApplicable,
        Status::NotTracked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneLate => "done_late",
            Status::Due => "due",
            Status::Overdue => "overdue",
            Status::Missed => "missed",
            Status::Upcoming => "upcoming",
            Status::NotDue => "not_due",
            Status::NotApplicable => "not_applicable",
            Status::NotTracked => "not_tracked",
        }
    }

    pub fn label_key(self) -> String {
        format!("status.{}", self.code())
    }

    /// Whether somebody can still act on it (a missed period is closed: it is for the
    /// supervisors' view, not anybody's work).
    pub fn needs_action(self) -> bool {
        matches!(self, Status::Due | Status::Overdue)
    }

    /// Whether it is behind: past its deadline, done or not.
    pub fn is_late(self) -> bool {
        matches!(self, Status::Overdue | Status::Missed | Status::DoneLate)
    }
}

/// Records grouped by kind and sorted by date, for fast counting.
#[derive(Debug, Default)]
pub struct EvidenceSet {
    by_kind: HashMap<String, Vec<Evidence>>,
}

impl EvidenceSet {
    pub fn new(items: impl IntoIterator<Item = Evidence>) -> Self {
        let mut by_kind: HashMap<String, Vec<Evidence>> = HashMap::new();
        for item in items {
            by_kind.entry(item.kind.clone()).or_default().push(item);
        }
        for list in by_kind.values_mut() {
            list.sort_by_key(Evidence::day);
        }
        Self { by_kind }
    }

    /// Every record, kind by kind, each kind in date order.
    pub fn iter(&self) -> impl Iterator<Item = &Evidence> {
        self.by_kind.values().flatten()
    }

    /// The records matching `rule` for a period from `starts` to `ends` with `deadline`:
    /// dated in the period or its grace days, or about the period and made by `late_until`
    /// (a report about a month may still come late; a patrol of a later day belongs to
    /// that day).
    fn matching<'s>(
        &'s self,
        rule: &'s EvidenceRule,
        starts: Date,
        ends: Date,
        deadline: Date,
        late_until: Date,
    ) -> impl Iterator<Item = &'s Evidence> + 's {
        let list = self.by_kind.get(&rule.kind).map_or(&[][..], Vec::as_slice);
        let start = list.partition_point(|e| e.day() < starts);
        list[start..]
            .iter()
            .take_while(move |e| e.day() <= deadline)
            .filter(move |e| {
                e.about
                    .is_none_or(|about| about <= ends && e.on <= late_until)
            })
            .filter(move |e| rule.matches(&e.kind, e.subtype.as_deref()))
    }
}

/// One period in which an obligation falls due.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodState<'e> {
    pub starts: Date,
    pub ends: Date,
    /// The last day it can still be done (the end plus the grace days).
    pub deadline: Date,
    pub status: Status,
    /// The records that satisfied it (or count towards it).
    pub records: Vec<&'e Evidence>,
}

/// An obligation's state over the span asked about.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationState<'a> {
    pub obligation: &'a Obligation,
    pub status: Status,
    pub periods: Vec<PeriodState<'a>>,
}

impl ObligationState<'_> {
    /// The period that needs attention first: the oldest not done, else the latest.
    pub fn focus(&self) -> Option<&PeriodState<'_>> {
        self.periods
            .iter()
            .find(|p| p.status == self.status)
            .or(self.periods.last())
    }
}

/// What the engine is asked: a school, its calendar, a span of days, and today.
#[derive(Debug, Clone, Copy)]
pub struct Question<'q> {
    pub school: &'q SchoolProfile,
    pub calendar: &'q SchoolCalendar,
    pub from: Date,
    pub to: Date,
    pub today: Date,
}

fn overlaps(starts: Date, ends: Date, q: &Question<'_>) -> bool {
    starts <= q.to && ends >= q.from
}

fn has_school_day(calendar: &SchoolCalendar, starts: Date, ends: Date) -> bool {
    // Cheap rejection first: no term overlaps the span.
    calendar
        .terms
        .iter()
        .any(|t| t.starts <= ends && t.ends >= starts)
        && calendar.school_days(starts, ends).next().is_some()
}

/// The periods of a cadence that overlap the question's span, in date order.
pub fn periods(cadence: Cadence, q: &Question<'_>) -> Vec<(Date, Date)> {
    let calendar = q.calendar;
    let mut out = Vec::new();
    match cadence {
        Cadence::Day => out.extend(days(q.from, q.to).map(|d| (d, d))),
        Cadence::SchoolDay => out.extend(calendar.school_days(q.from, q.to).map(|d| (d, d))),
        Cadence::Week => {
            let mut monday =
                q.from - Duration::days(i64::from(q.from.weekday().number_days_from_monday()));
            while monday <= q.to {
                let sunday = monday + Duration::days(6);
                if has_school_day(calendar, monday, sunday) {
                    out.push((monday, sunday));
                }
                monday += Duration::days(7);
            }
        }
        Cadence::Month | Cadence::Quarter => {
            let step = if cadence == Cadence::Month { 1 } else { 3 };
            let mut year = q.from.year();
            let mut month = q.from.month() as u8;
            if step == 3 {
                month = (month - 1) / 3 * 3 + 1;
            }
            loop {
                let (first, _) =
                    month_bounds(year, Month::try_from(month).unwrap_or(Month::January));
                if first > q.to {
                    break;
                }
                let last_month = Month::try_from(month + step - 1).unwrap_or(Month::December);
                let (_, last) = month_bounds(year, last_month);
                if has_school_day(calendar, first, last) {
                    out.push((first, last));
                }
                month += step;
                if month > 12 {
                    month -= 12;
                    year += 1;
                }
            }
        }
        Cadence::Term => out.extend(calendar.terms.iter().map(|t| (t.starts, t.ends))),
        Cadence::Year => {
            let mut years: Vec<(i32, Date, Date)> = Vec::new();
            for t in &calendar.terms {
                match years.iter_mut().find(|(y, _, _)| *y == t.school_year) {
                    Some((_, s, e)) => {
                        *s = (*s).min(t.starts);
                        *e = (*e).max(t.ends);
                    }
                    None => years.push((t.school_year, t.starts, t.ends)),
                }
            }
            out.extend(years.into_iter().map(|(_, s, e)| (s, e)));
        }
        Cadence::TermStart { days } => out.extend(calendar.terms.iter().map(|t| {
            (
                t.starts,
                (t.starts + Duration::days(i64::from(days) - 1)).min(t.ends),
            )
        })),
        Cadence::MidTerm { days } => out.extend(calendar.terms.iter().map(|t| {
            let d = Duration::days(i64::from(days));
            ((t.mid - d).max(t.starts), (t.mid + d).min(t.ends))
        })),
        Cadence::TermEnd { days } => out.extend(calendar.terms.iter().map(|t| {
            (
                (t.ends - Duration::days(i64::from(days) - 1)).max(t.starts),
                t.ends,
            )
        })),
        Cadence::Date { month, day } => {
            for year in q.from.year()..=q.to.year() {
                if let Some(date) = Month::try_from(month)
                    .ok()
                    .and_then(|m| Date::from_calendar_date(year, m, day).ok())
                {
                    out.push((date, date));
                }
            }
        }
        Cadence::InMonth { month } => {
            for year in q.from.year()..=q.to.year() {
                out.push(month_bounds(
                    year,
                    Month::try_from(month).unwrap_or(Month::January),
                ));
            }
        }
    }
    out.retain(|(s, e)| overlaps(*s, *e, q));
    out
}

fn judge<'e>(
    obligation: &'e Obligation,
    starts: Date,
    ends: Date,
    today: Date,
    overdue_days: u16,
    evidence: &'e EvidenceSet,
) -> PeriodState<'e> {
    let deadline = ends + Duration::days(i64::from(obligation.grace_days));
    let late_until = deadline + Duration::days(i64::from(overdue_days));
    let mut records: Vec<&Evidence> = obligation
        .evidence
        .iter()
        .flat_map(|rule| evidence.matching(rule, starts, ends, deadline, late_until))
        .filter(|e| e.on <= today)
        .collect();
    records.sort_by_key(|e| e.on);
    records.dedup_by(|a, b| a.record == b.record);
    let needed = obligation.times as usize;
    let on_time = records.iter().filter(|e| e.on <= deadline).count();
    let status = if on_time >= needed {
        Status::Done
    } else if records.len() >= needed {
        Status::DoneLate
    } else if today < starts {
        Status::Upcoming
    } else if today <= deadline {
        Status::Due
    } else if today <= late_until {
        Status::Overdue
    } else {
        Status::Missed
    };
    PeriodState {
        starts,
        ends,
        deadline,
        status,
        records,
    }
}

/// The overall state from the states of the periods.
fn summary(periods: &[PeriodState<'_>]) -> Status {
    for worst in [
        Status::Missed,
        Status::Overdue,
        Status::Due,
        Status::DoneLate,
    ] {
        if periods.iter().any(|p| p.status == worst) {
            return worst;
        }
    }
    if periods.iter().any(|p| p.status == Status::Done) {
        Status::Done
    } else if periods.is_empty() {
        Status::NotDue
    } else {
        Status::Upcoming
    }
}

/// Every obligation of `policy` for the question.
pub fn evaluate<'a>(
    policy: &'a Policy,
    q: &Question<'_>,
    evidence: &'a EvidenceSet,
) -> Vec<ObligationState<'a>> {
    policy
        .obligations
        .iter()
        .map(|obligation| evaluate_one(obligation, policy.overdue_days, q, evidence))
        .collect()
}

/// One obligation for the question; unfinished work past its deadline stays overdue for
/// `overdue_days` (the policy's), then it is missed.
pub fn evaluate_one<'a>(
    obligation: &'a Obligation,
    overdue_days: u16,
    q: &Question<'_>,
    evidence: &'a EvidenceSet,
) -> ObligationState<'a> {
    if !obligation.applies.applies_to(q.school) {
        return ObligationState {
            obligation,
            status: Status::NotApplicable,
            periods: Vec::new(),
        };
    }
    let periods: Vec<PeriodState<'a>> = periods(obligation.cadence, q)
        .into_iter()
        .map(|(s, e)| judge(obligation, s, e, q.today, overdue_days, evidence))
        .collect();
    let status = if obligation.is_tracked() {
        summary(&periods)
    } else {
        Status::NotTracked
    };
    ObligationState {
        obligation,
        status,
        periods,
    }
}

/// Policy versions with the day each took effect, oldest first. A period is judged by the
/// version in force on the day it began.
#[derive(Debug, Clone, Default)]
pub struct PolicyHistory {
    versions: Vec<(Date, Policy)>,
}

impl PolicyHistory {
    pub fn new(mut versions: Vec<(Date, Policy)>) -> Self {
        versions.sort_by_key(|(d, _)| *d);
        Self { versions }
    }

    /// The version in force on `date` (the oldest one before any took effect).
    pub fn in_force(&self, date: Date) -> Option<&Policy> {
        self.index_on(date).map(|i| &self.versions[i].1)
    }

    fn index_on(&self, date: Date) -> Option<usize> {
        if self.versions.is_empty() {
            return None;
        }
        Some(
            self.versions
                .iter()
                .rposition(|(d, _)| *d <= date)
                .unwrap_or(0),
        )
    }

    /// Every obligation of the versions in force during the span, each period judged by
    /// its own version; obligations keep the order of the latest version.
    pub fn evaluate<'a>(
        &'a self,
        q: &Question<'_>,
        evidence: &'a EvidenceSet,
    ) -> Vec<ObligationState<'a>> {
        let (Some(first), Some(last)) = (self.index_on(q.from), self.index_on(q.to)) else {
            return Vec::new();
        };
        if first == last {
            return evaluate(&self.versions[first].1, q, evidence);
        }
        let mut merged: Vec<ObligationState<'a>> = Vec::new();
        for i in (first..=last).rev() {
            for mut state in evaluate(&self.versions[i].1, q, evidence) {
                state.periods.retain(|p| self.index_on(p.starts) == Some(i));
                match merged
                    .iter_mut()
                    .find(|m| m.obligation.id == state.obligation.id)
                {
                    Some(m) => {
                        m.periods.extend(state.periods);
                        m.periods.sort_by_key(|p| p.starts);
                        if m.status != Status::NotApplicable && m.status != Status::NotTracked {
                            m.status = summary(&m.periods);
                        }
                    }
                    None => {
                        if state.status != Status::NotApplicable
                            && state.status != Status::NotTracked
                        {
                            state.status = summary(&state.periods);
                        }
                        merged.push(state);
                    }
                }
            }
        }
        merged
    }
}

/// Monday of the week holding `date`.
pub fn week_start(date: Date) -> Date {
    let mut d = date;
    while d.weekday() != Weekday::Monday {
        d = d.previous_day().unwrap_or(d);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Holiday, Term};
    use crate::org::SchoolKind;
    use time::macros::date;

    fn calendar() -> SchoolCalendar {
        SchoolCalendar::new(
            vec![Term::parse("2026", "1", "2026-09-01", "2026-11-09", "2027-01-22").unwrap()],
            vec![Holiday::parse("2026-10-01", "2026-10-07", "國慶").unwrap()],
        )
    }

    const PRIMARY: SchoolProfile = SchoolProfile {
        kind: SchoolKind::Primary,
        boarding: false,
        has_canteen: true,
    };

    fn record(kind: &str, subtype: Option<&str>, on: Date, id: &str) -> Evidence {
        Evidence {
            kind: kind.into(),
            subtype: subtype.map(Into::into),
            on,
            about: None,
            record: id.into(),
            title: String::new(),
        }
    }

    fn state<'a>(
        policy: &'a Policy,
        id: &str,
        from: Date,
        to: Date,
        today: Date,
        evidence: &'a EvidenceSet,
    ) -> ObligationState<'a> {
        let calendar = calendar();
        let q = Question {
            school: &PRIMARY,
            calendar: &calendar,
            from,
            to,
            today,
        };
        evaluate_one(
            policy.obligation(id).unwrap(),
            policy.overdue_days,
            &q,
            evidence,
        )
    }

    #[test]
    fn a_monthly_meeting_is_due_then_done_then_missed() {
        // R-MTG-1: the leadership group meets at least once a month.
        let policy = Policy::default_policy();
        let none = EvidenceSet::default();
        let (from, to) = (date!(2026 - 11 - 01), date!(2026 - 11 - 30));
        let mid_month = date!(2026 - 11 - 15);
        assert_eq!(
            state(&policy, "leadership_meeting", from, to, mid_month, &none).status,
            Status::Due
        );
        let held = EvidenceSet::new([record(
            "leadership_meeting",
            None,
            date!(2026 - 11 - 10),
            "m1",
        )]);
        let done = state(&policy, "leadership_meeting", from, to, mid_month, &held);
        assert_eq!(done.status, Status::Done);
        assert_eq!(done.periods[0].records[0].record, "m1");
        assert_eq!(
            state(
                &policy,
                "leadership_meeting",
                from,
                to,
                date!(2026 - 12 - 02),
                &none
            )
            .status,
            Status::Overdue,
            "past its deadline, still within the policy's overdue days"
        );
        assert_eq!(
            state(
                &policy,
                "leadership_meeting",
                from,
                to,
                date!(2026 - 12 - 15),
                &none
            )
            .status,
            Status::Missed,
            "closed after the overdue days"
        );
    }

    #[test]
    fn nothing_is_overdue_before_its_deadline() {
        // Issue 8: November's report, due by 5 December, is due on 2 December, not overdue.
        // R-HZD-2: the monthly report, due in the first days of the next month.
        let policy = Policy::default_policy();
        let mut report = policy.obligation("monthly_report").unwrap().clone();
        report.evidence[0].kind = "leadership_meeting".into();
        let policy = Policy {
            obligations: vec![report],
            ..policy
        };
        let none = EvidenceSet::default();
        let (from, to) = (date!(2026 - 11 - 01), date!(2026 - 11 - 30));
        assert_eq!(
            state(
                &policy,
                "monthly_report",
                from,
                to,
                date!(2026 - 12 - 02),
                &none
            )
            .status,
            Status::Due
        );
        let deadline = state(
            &policy,
            "monthly_report",
            from,
            to,
            date!(2026 - 12 - 05),
            &none,
        );
        assert_eq!(
            deadline.status,
            Status::Due,
            "due on the day of its deadline"
        );
        assert_eq!(deadline.periods[0].deadline, date!(2026 - 12 - 05));
        assert_eq!(
            state(
                &policy,
                "monthly_report",
                from,
                to,
                date!(2026 - 12 - 06),
                &none
            )
            .status,
            Status::Overdue
        );
        assert_eq!(
            state(
                &policy,
                "monthly_report",
                from,
                to,
                date!(2026 - 12 - 20),
                &none
            )
            .status,
            Status::Missed,
            "14 overdue days after 5 December"
        );
        let late = EvidenceSet::new([record(
            "leadership_meeting",
            None,
            date!(2026 - 12 - 04),
            "r",
        )]);
        assert_eq!(
            state(
                &policy,
                "monthly_report",
                from,
                to,
                date!(2026 - 12 - 10),
                &late
            )
            .status,
            Status::Done
        );
    }

    #[test]
    fn a_report_counts_for_its_own_month_only_and_only_on_time() {
        // R-HZD-2: the report for October, due in the first 5 days of November.
        let policy = Policy::default_policy();
        let report = |on: Date| {
            EvidenceSet::new([Evidence {
                about: Some(date!(2026 - 10 - 31)),
                ..record("monthly_report", None, on, "r")
            }])
        };
        let today = date!(2026 - 11 - 20);
        let october = (date!(2026 - 10 - 01), date!(2026 - 10 - 31));
        let november = (date!(2026 - 11 - 01), date!(2026 - 11 - 30));
        let on_time = report(date!(2026 - 11 - 03));
        let s = |set: &EvidenceSet, (from, to): (Date, Date)| {
            let calendar = calendar();
            let q = Question {
                school: &PRIMARY,
                calendar: &calendar,
                from,
                to,
                today,
            };
            let report = policy.obligation("monthly_report").unwrap();
            evaluate_one(report, policy.overdue_days, &q, set).status
        };
        assert_eq!(s(&on_time, october), Status::Done);
        assert_eq!(
            s(&on_time, november),
            Status::Due,
            "it says nothing of November"
        );
        assert_eq!(
            s(&report(date!(2026 - 11 - 08)), october),
            Status::DoneLate,
            "late is done late, never simply done"
        );
    }

    #[test]
    fn conditions_on_subtypes_hold() {
        let policy = Policy::default_policy();
        let fire_drill =
            EvidenceSet::new([record("drill", Some("fire"), date!(2026 - 10 - 20), "d1")]);
        let (from, to) = (date!(2026 - 10 - 01), date!(2026 - 10 - 31));
        let today = date!(2026 - 11 - 05);
        assert_eq!(
            state(&policy, "cal_oct_evacuation", from, to, today, &fire_drill).status,
            Status::Overdue,
            "a fire drill is not an evacuation drill"
        );
        assert_eq!(
            state(
                &policy,
                "cal_nov_drill",
                date!(2026 - 11 - 01),
                date!(2026 - 11 - 30),
                today,
                &fire_drill
            )
            .status,
            Status::Due
        );
    }

    #[test]
    fn school_days_skip_weekends_and_holidays_and_untracked_kinds_say_so() {
        let policy = Policy::default_policy();
        let none = EvidenceSet::default();
        let s = state(
            &policy,
            "health_check_daily",
            date!(2026 - 09 - 28),
            date!(2026 - 10 - 09),
            date!(2026 - 10 - 20),
            &none,
        );
        assert_eq!(s.periods.len(), 5);
        assert_eq!(s.status, Status::NotTracked);
    }

    #[test]
    fn kindergartens_and_day_schools_skip_what_is_not_theirs() {
        let policy = Policy::default_policy();
        let none = EvidenceSet::default();
        let calendar = calendar();
        let kindergarten = SchoolProfile {
            kind: SchoolKind::Kindergarten,
            boarding: false,
            has_canteen: false,
        };
        let q = Question {
            school: &kindergarten,
            calendar: &calendar,
            from: date!(2026 - 11 - 01),
            to: date!(2026 - 11 - 30),
            today: date!(2026 - 11 - 15),
        };
        let states = evaluate(&policy, &q, &none);
        let of = |id: &str| {
            states
                .iter()
                .find(|s| s.obligation.id == id)
                .unwrap()
                .status
        };
        assert_eq!(of("evacuation_drill_monthly"), Status::NotApplicable);
        assert_eq!(of("food_sample"), Status::NotApplicable);
        assert_eq!(of("fire_patrol_night"), Status::NotApplicable);
        assert_eq!(of("evacuation_drill_quarterly"), Status::Due);
        assert_eq!(of("cal_mar_drill"), Status::NotDue);
    }

    #[test]
    fn term_windows_follow_the_calendar() {
        let policy = Policy::default_policy();
        let drill = EvidenceSet::new([record("drill", Some("fire"), date!(2026 - 11 - 12), "d")]);
        let s = state(
            &policy,
            "drill_mid_term",
            date!(2026 - 09 - 01),
            date!(2027 - 01 - 22),
            date!(2026 - 11 - 28),
            &drill,
        );
        assert_eq!(
            (s.periods[0].starts, s.periods[0].ends),
            (date!(2026 - 10 - 26), date!(2026 - 11 - 23))
        );
        assert_eq!(s.status, Status::Done);
        let start = state(
            &policy,
            "drill_term_start",
            date!(2026 - 09 - 01),
            date!(2027 - 01 - 22),
            date!(2026 - 11 - 28),
            &drill,
        );
        assert_eq!(start.status, Status::Missed);
    }

    #[test]
    fn past_periods_are_judged_by_the_version_then_in_force() {
        let old = Policy::default_policy();
        let mut new = old.clone();
        for o in &mut new.obligations {
            if o.id == "leadership_meeting" {
                o.times = 2;
            }
        }
        let history = PolicyHistory::new(vec![
            (date!(2026 - 01 - 01), old),
            (date!(2026 - 11 - 01), new),
        ]);
        let one = EvidenceSet::new([
            record("leadership_meeting", None, date!(2026 - 10 - 10), "a"),
            record("leadership_meeting", None, date!(2026 - 11 - 10), "b"),
        ]);
        let calendar = calendar();
        let q = Question {
            school: &PRIMARY,
            calendar: &calendar,
            from: date!(2026 - 10 - 01),
            to: date!(2026 - 11 - 30),
            today: date!(2026 - 11 - 20),
        };
        let states = history.evaluate(&q, &one);
        let meeting = states
            .iter()
            .find(|s| s.obligation.id == "leadership_meeting")
            .unwrap();
        let statuses: Vec<Status> = meeting.periods.iter().map(|p| p.status).collect();
        assert_eq!(statuses, vec![Status::Done, Status::Due]);
    }
}
