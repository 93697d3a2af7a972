//! The one evidence interface (R-POL-2): every kind of record a school keeps is, for the
//! policy engine, a dated piece of evidence of a kind (and maybe a subtype). A module plugs
//! in by listing its kind here and producing `Evidence` from its records; the engine never
//! changes.

use serde::{Deserialize, Serialize};
use time::Date;

/// Who records a kind of evidence in Xiao'an today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorder {
    /// The activity records (meetings, lessons, lectures, drills, …).
    Activity,
    /// Inspections by checklist (hazard inspections, canteen checks, fire patrols…).
    Inspection,
    /// The monthly report to the central school.
    Report,
    /// A module that is not built yet: obligations that need it show "not tracked yet"
    /// instead of "missed", so nobody is blamed for what the system cannot record.
    Pending,
}

/// A kind of evidence and the subtypes it may carry.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceKind {
    pub code: &'static str,
    pub subtypes: &'static [&'static str],
    pub recorder: Recorder,
}

impl EvidenceKind {
    pub fn label_key(&self) -> String {
        format!("evidence.{}", self.code)
    }

    pub fn subtype_label_key(&self, subtype: &str) -> String {
        format!("evidence_subtype.{}.{subtype}", self.code)
    }

    pub fn has_subtype(&self, subtype: &str) -> bool {
        self.subtypes.contains(&subtype)
    }
}

const fn kind(
    code: &'static str,
    subtypes: &'static [&'static str],
    recorder: Recorder,
) -> EvidenceKind {
    EvidenceKind {
        code,
        subtypes,
        recorder,
    }
}

/// Every kind of evidence Xiao'an knows.
pub const KINDS: &[EvidenceKind] = &[
    // Activity records (R-MTG-1, R-EDU-1..4, R-EXT-1, R-PAC-1, R-EMG-2, R-CAL-1, R-DOC-1).
    kind("leadership_meeting", &[], Recorder::Activity),
    kind(
        "safety_lesson",
        &[
            "first_lesson",
            "infectious_disease",
            "schistosomiasis",
            "rainy_season",
            "spring_outing",
            "lightning",
            "drowning",
            "summer_activities",
            "heatstroke",
            "travel",
            "rain_snow",
            "traffic",
            "fire",
            "mental_health",
            "general",
        ],
        Recorder::Activity,
    ),
    kind("legal_vp_appointment", &[], Recorder::Activity),
    kind("legal_lecture", &[], Recorder::Activity),
    kind(
        "publicity",
        &[
            "flag_speech",
            "broadcast",
            "blackboard",
            "class_meeting",
            "contest",
            "safety_education_day",
            "governance_month",
            "traffic_safety_day",
            "legal_day",
            "railway_week",
            "other",
        ],
        Recorder::Activity,
    ),
    kind("parent_school", &[], Recorder::Activity),
    kind(
        "joint_action",
        &["police", "fire", "traffic", "health", "commerce", "village"],
        Recorder::Activity,
    ),
    kind(
        "safe_campus",
        &["organisation", "plan", "mechanism", "records", "results"],
        Recorder::Activity,
    ),
    kind(
        "drill",
        &["evacuation", "fire", "earthquake", "other"],
        Recorder::Activity,
    ),
    kind(
        "work_document",
        &["annual_plan", "term_summary", "annual_summary", "materials"],
        Recorder::Activity,
    ),
    // Records of modules still to come.
    kind(
        "inspection",
        &["routine", "term_start", "term_end", "holiday", "special"],
        Recorder::Inspection,
    ),
    kind("monthly_report", &[], Recorder::Report),
    kind(
        "health_check",
        &["morning", "noon", "evening"],
        Recorder::Pending,
    ),
    kind("disinfection", &[], Recorder::Pending),
    kind("fire_patrol", &[], Recorder::Inspection),
    kind("fire_inspection", &[], Recorder::Inspection),
    kind("extinguisher_check", &[], Recorder::Pending),
    kind("duty_log", &[], Recorder::Pending),
    kind(
        "duty_patrol",
        &["morning_reading", "noon", "after_school", "between_classes"],
        Recorder::Pending,
    ),
    kind("food_sample", &[], Recorder::Pending),
    kind("accompany_meal", &[], Recorder::Pending),
    kind(
        "canteen_check",
        &["daily", "weekly", "monthly"],
        Recorder::Inspection,
    ),
    kind("food_survey", &[], Recorder::Pending),
    kind("responsibility_letter", &[], Recorder::Pending),
    kind("dispute_screening", &[], Recorder::Pending),
];

/// The kind with this code.
pub fn kind_of(code: &str) -> Option<&'static EvidenceKind> {
    KINDS.iter().find(|k| k.code == code)
}

/// The kinds that activity records carry, in form order.
pub fn activity_kinds() -> impl Iterator<Item = &'static EvidenceKind> {
    KINDS.iter().filter(|k| k.recorder == Recorder::Activity)
}

/// One dated piece of evidence: a record that may satisfy obligations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: String,
    pub subtype: Option<String>,
    pub on: Date,
    /// For a record about a period rather than a day (a monthly report): a day of that
    /// period. It counts for that period only, and only when made (`on`) by its deadline.
    pub about: Option<Date>,
    /// The record it comes from, for drill-down (`activities/<id>`, …).
    pub record: String,
    pub title: String,
}

impl Evidence {
    /// The day it is filed under: what it is about, or when it happened.
    pub fn day(&self) -> Date {
        self.about.unwrap_or(self.on)
    }
}

/// What a record kind implements to count as evidence.
pub trait AsEvidence {
    fn evidence(&self) -> Evidence;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_known() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(
                KINDS[i + 1..].iter().all(|o| o.code != k.code),
                "{} twice",
                k.code
            );
        }
        assert_eq!(
            kind_of("leadership_meeting").unwrap().recorder,
            Recorder::Activity
        );
        assert_eq!(kind_of("health_check").unwrap().recorder, Recorder::Pending);
        assert!(kind_of("no_such_kind").is_none());
        assert!(kind_of("drill").unwrap().has_subtype("evacuation"));
    }
}
