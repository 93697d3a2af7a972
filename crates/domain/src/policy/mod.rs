//! The policy (R-POL-1): every obligation a school has, with its frequency, deadline and
//! the evidence that satisfies it — data in a versioned TOML document, never code.

pub mod draft;
mod parse;
pub mod rules;

pub(crate) use parse::RawTitle;
pub use parse::{PolicyError, parse};
pub use rules::{Clock, Threshold};

use crate::org::{SchoolKind, SchoolProfile};
use crate::role::Role;
use serde::Serialize;

/// The policy shipped in the binary: REQUIREMENTS.md and DOMAIN-RULES.md as data.
pub const DEFAULT_SOURCE: &str = include_str!("default.toml");

/// A parsed, valid policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub name: Title,
    pub version: String,
    pub obligations: Vec<Obligation>,
    /// Counts of cases that call for a report (`[[threshold]]`).
    pub thresholds: Vec<Threshold>,
    /// Deadlines by class (`[[clock]]`): an incident report by its severity.
    pub clocks: Vec<Clock>,
    /// Days to rectify a hazard, by severity (R-HZD-3).
    pub hazard_days: HazardDays,
    /// How long past its deadline unfinished work stays overdue — reminded, and counted as
    /// done late if done — before it is missed (`[follow_up] overdue_days`).
    pub overdue_days: u16,
    /// Days after its last check that safety equipment is due again (`[equipment]
    /// check_days`; GB 50444-2008 §5.2: extinguishers are inspected monthly).
    pub equipment_check_days: u16,
}

impl Policy {
    /// Every policy-wide number with the i18n key of its name, in document order: the
    /// policy page shows them and the comparison compares them, so a number added here is
    /// never left out of either.
    pub fn settings(&self) -> [(&'static str, u16); 5] {
        [
            (
                "policy.setting.hazard_general_days",
                self.hazard_days.general,
            ),
            ("policy.setting.hazard_major_days", self.hazard_days.major),
            (
                "policy.setting.hazard_escalate_after_days",
                self.hazard_days.escalate_after,
            ),
            (
                "policy.setting.equipment_check_days",
                self.equipment_check_days,
            ),
            ("policy.setting.follow_up_overdue_days", self.overdue_days),
        ]
    }
}

/// The default of `[equipment] check_days`.
pub const DEFAULT_EQUIPMENT_CHECK_DAYS: u16 = 30;

/// The default of `[follow_up] overdue_days` (local: two weeks, the reminders' window).
pub const DEFAULT_OVERDUE_DAYS: u16 = 14;

/// How long a hazard may take to be rectified, from its assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HazardDays {
    pub general: u16,
    pub major: u16,
    /// Days past its deadline after which an overdue hazard also reaches the central
    /// school (it reaches the principal at once).
    pub escalate_after: u16,
}

impl Default for HazardDays {
    fn default() -> Self {
        Self {
            general: 14,
            major: 3,
            escalate_after: 7,
        }
    }
}

impl HazardDays {
    pub fn for_severity(self, severity: crate::hazard::Severity) -> u16 {
        match severity {
            crate::hazard::Severity::General => self.general,
            crate::hazard::Severity::Major => self.major,
        }
    }
}

impl Policy {
    /// The shipped default policy, parsed once per process.
    pub fn default_policy() -> Policy {
        static SHIPPED: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                // The default is checked by a unit test; it cannot fail at run time.
                parse(DEFAULT_SOURCE).unwrap_or_else(|errors| {
                    panic!("the shipped policy is invalid: {errors:?}");
                })
            })
            .clone()
    }

    pub fn obligation(&self, id: &str) -> Option<&Obligation> {
        self.obligations.iter().find(|o| o.id == id)
    }

    /// The obligation that the monthly report satisfies: its grace days set the report's
    /// deadline. `None` when this policy asks for no report.
    pub fn report_obligation(&self) -> Option<&Obligation> {
        use crate::evidence::{Recorder, kind_of};
        self.obligations.iter().find(|o| {
            o.evidence
                .iter()
                .any(|e| kind_of(&e.kind).is_some_and(|k| k.recorder == Recorder::Report))
        })
    }

    pub fn clock(&self, id: &str) -> Option<&Clock> {
        self.clocks.iter().find(|c| c.id == id)
    }

    pub fn threshold(&self, id: &str) -> Option<&Threshold> {
        self.thresholds.iter().find(|t| t.id == id)
    }
}

/// A title in the three languages of the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Title {
    pub zh_tw: String,
    pub zh_cn: String,
    pub en: String,
}

impl Title {
    /// The title for a language code (`zh-TW`, `zh-CN`, `en`).
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "zh-CN" => &self.zh_cn,
            "en" => &self.en,
            _ => &self.zh_tw,
        }
    }
}

/// How often an obligation falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "cadence", rename_all = "snake_case")]
pub enum Cadence {
    /// Every calendar day, term or not (24-hour duty).
    Day,
    /// Every school day.
    SchoolDay,
    /// Every week (Monday–Sunday) with a school day.
    Week,
    /// Every calendar month with a school day.
    Month,
    /// Every calendar quarter with a school day.
    Quarter,
    /// Every term.
    Term,
    /// Every school year.
    Year,
    /// In the first `days` days of each term.
    TermStart { days: u16 },
    /// Within `days` days either side of each mid-term date.
    MidTerm { days: u16 },
    /// In the last `days` days of each term.
    TermEnd { days: u16 },
    /// On a calendar date each year.
    Date { month: u8, day: u8 },
    /// In a calendar month each year.
    InMonth { month: u8 },
}

/// Which schools an obligation applies to; an empty list or `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Applicability {
    pub kinds: Vec<SchoolKind>,
    /// `Some(true)`: only boarding schools; `Some(false)`: only day schools.
    pub boarding: Option<bool>,
    pub canteen: Option<bool>,
}

impl Applicability {
    pub fn applies_to(&self, school: &SchoolProfile) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&school.kind))
            && self.boarding.is_none_or(|b| b == school.boarding)
            && self.canteen.is_none_or(|c| c == school.has_canteen)
    }
}

/// Which records satisfy an obligation: a kind, and when listed, one of its subtypes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRule {
    pub kind: String,
    pub subtypes: Vec<String>,
}

impl EvidenceRule {
    pub fn matches(&self, kind: &str, subtype: Option<&str>) -> bool {
        self.kind == kind
            && (self.subtypes.is_empty()
                || subtype.is_some_and(|s| self.subtypes.iter().any(|x| x == s)))
    }
}

/// One obligation of the policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Obligation {
    pub id: String,
    pub title: Title,
    /// The requirement IDs it serves (`R-MTG-1`).
    pub serves: Vec<String>,
    pub applies: Applicability,
    /// Who must do it.
    pub role: Role,
    pub cadence: Cadence,
    /// How many matching records each period needs.
    pub times: u32,
    /// Days after a period's end during which it is overdue but can still be done.
    pub grace_days: u16,
    pub evidence: Vec<EvidenceRule>,
}

impl Obligation {
    /// Whether any record that satisfies it can be made today: an activity record, or an
    /// inspection with a checklist of the library for that kind and subtype.
    pub fn is_tracked(&self) -> bool {
        use crate::evidence::{Recorder, kind_of};
        self.evidence
            .iter()
            .any(|e| match kind_of(&e.kind).map(|k| k.recorder) {
                Some(Recorder::Activity | Recorder::Report) => true,
                Some(Recorder::Inspection) => {
                    crate::checklist::template_for(&e.kind, &e.subtypes).is_some()
                }
                Some(Recorder::Pending) | None => false,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 8: the monthly report's deadline comes from the obligation it satisfies,
    /// whatever that obligation is called.
    #[test]
    fn the_report_obligation_is_found_by_its_evidence() {
        let mut policy = Policy::default_policy();
        assert_eq!(
            policy.report_obligation().map(|o| o.id.as_str()),
            Some("monthly_report")
        );
        let report = policy
            .obligations
            .iter_mut()
            .find(|o| o.id == "monthly_report")
            .unwrap();
        report.id = "report_to_central_school".into();
        report.grace_days = 7;
        assert_eq!(policy.report_obligation().map(|o| o.grace_days), Some(7));
        policy
            .obligations
            .retain(|o| o.id != "report_to_central_school");
        assert!(policy.report_obligation().is_none());
    }

    #[test]
    fn the_shipped_clocks_and_thresholds_are_there() {
        let policy = Policy::default_policy();
        assert_eq!(policy.clock("incident_emergency").map(|c| c.hours), Some(2));
        assert_eq!(
            policy.clock("incident_statutory").map(|c| c.hours),
            Some(24)
        );
        assert_eq!(policy.clock("incident_general").map(|c| c.hours), Some(72));
        let three_days = policy.threshold("cluster_three_days").unwrap();
        assert_eq!((three_days.at_least, three_days.within), (6, 3));
        assert_eq!(three_days.days, rules::DayCount::SchoolDay);
        assert!(
            policy
                .thresholds
                .iter()
                .all(|t| policy.clock(&t.clock).is_some())
        );
    }
}
