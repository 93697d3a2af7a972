//! Thresholds and clocks of the policy (issue 8): counts of cases in a window per group that
//! call for a report, and deadlines by class (an incident report by its severity) — data the
//! health and incident modules read, never numbers in their code.

use super::Title;
use serde::Serialize;

/// An enum written in the policy by a code, with the i18n key of its name.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// The i18n key of its name.
            pub fn label_key(self) -> String {
                format!("{}.{}", $prefix, self.code())
            }

            /// Every code, for error messages ("use class, school…").
            pub fn codes() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

coded!(
    /// What is counted.
    Condition, "policy.condition", {
        /// Cases with similar symptoms (the same illness, not yet diagnosed).
        SimilarSymptoms = "similar_symptoms",
        /// A confirmed or suspected case of a notifiable disease.
        Notifiable = "notifiable",
        HandFootMouth = "hand_foot_mouth",
        Chickenpox = "chickenpox",
        Mumps = "mumps",
        InfluenzaLike = "influenza_like",
        Measles = "measles",
    }
);

coded!(
    /// Where the cases are counted together.
    Group, "policy.group", {
        Class = "class",
        /// The same class or the same dormitory.
        ClassOrDormitory = "class_or_dormitory",
        School = "school",
    }
);

coded!(
    /// Which days a window counts.
    DayCount, "policy.day_count", {
        /// Calendar days.
        Day = "day",
        /// School days (a weekend or holiday does not break "consecutive").
        SchoolDay = "school_day",
    }
);

/// "At least `at_least` cases of `condition` in one `group` within `within` days": when
/// reached, a report is due by the clock `clock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threshold {
    pub id: String,
    pub title: Title,
    pub condition: Condition,
    pub group: Group,
    pub at_least: u16,
    pub within: u16,
    pub days: DayCount,
    /// The id of the clock that starts when the threshold is reached.
    pub clock: String,
}

/// A deadline of a class: a report due `hours` after the school learns of the event; 0 means
/// at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub id: String,
    pub title: Title,
    pub hours: u16,
}

/// The bounds the parser enforces (and the form shows).
pub const AT_LEAST: std::ops::RangeInclusive<i64> = 1..=1000;
pub const WITHIN_DAYS: std::ops::RangeInclusive<i64> = 1..=60;
pub const HOURS: std::ops::RangeInclusive<i64> = 0..=720;
