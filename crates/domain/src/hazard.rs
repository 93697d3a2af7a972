//! Hazards (隱患) and their rectification in a closed loop (R-HZD-3): reported → assigned →
//! being rectified → submitted with evidence → verified and closed by someone other than
//! the rectifier, or sent back. Interim controls are recorded for what cannot be fixed at
//! once. The state machine is here; who may act is decided in the app layer.

use crate::error::{Invalid, bounded_text};
use serde::{Deserialize, Serialize};

/// How serious a hazard is: 一般 or 重大.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    General,
    Major,
}

impl Severity {
    pub const ALL: [Severity; 2] = [Severity::General, Severity::Major];

    pub fn code(self) -> &'static str {
        match self {
            Severity::General => "general",
            Severity::Major => "major",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("hazard.severity.{}", self.code())
    }
}

/// What kind of hazard it is (隱患類別), after the seed's special campaigns (R-HZD-4, R-HZD-6):
/// school buildings and facilities, fire safety, food hygiene, traffic safety, the school's
/// surroundings, or something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Buildings,
    Fire,
    Food,
    Traffic,
    Surroundings,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Buildings,
        Category::Fire,
        Category::Food,
        Category::Traffic,
        Category::Surroundings,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Buildings => "buildings",
            Category::Fire => "fire",
            Category::Food => "food",
            Category::Traffic => "traffic",
            Category::Surroundings => "surroundings",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("hazard.category.{}", self.code())
    }
}

/// Where a hazard stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardState {
    Reported,
    Assigned,
    Rectifying,
    Submitted,
    Closed,
}

impl HazardState {
    pub const ALL: [HazardState; 5] = [
        HazardState::Reported,
        HazardState::Assigned,
        HazardState::Rectifying,
        HazardState::Submitted,
        HazardState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HazardState::Reported => "reported",
            HazardState::Assigned => "assigned",
            HazardState::Rectifying => "rectifying",
            HazardState::Submitted => "submitted",
            HazardState::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("hazard.state.{}", self.code())
    }

    pub fn is_open(self) -> bool {
        self != HazardState::Closed
    }
}

/// Something done to a hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardAction {
    /// Names the responsible person (again, to reassign) and sets the deadline.
    Assign,
    /// The responsible person starts the work.
    Start,
    /// A measure taken until it is fixed; the state does not change.
    InterimControl,
    /// The work is done; evidence (a photo) goes with it.
    Submit,
    /// Someone other than the rectifier checks it and closes it.
    Verify,
    /// The check failed: back to the rectifier with the reason.
    SendBack,
}

impl HazardAction {
    pub const ALL: [HazardAction; 6] = [
        HazardAction::Assign,
        HazardAction::Start,
        HazardAction::InterimControl,
        HazardAction::Submit,
        HazardAction::Verify,
        HazardAction::SendBack,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HazardAction::Assign => "assign",
            HazardAction::Start => "start",
            HazardAction::InterimControl => "interim_control",
            HazardAction::Submit => "submit",
            HazardAction::Verify => "verify",
            HazardAction::SendBack => "send_back",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Whether the action needs a written note (the reason, the measure, what was done).
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            HazardAction::InterimControl | HazardAction::Submit | HazardAction::SendBack
        )
    }
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not possible in the hazard's state.
    NotNow,
    /// The one who submitted the work cannot verify it.
    OwnWork,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::NotNow => "error.hazard_not_now",
            Refusal::OwnWork => "error.hazard_own_work",
        }
    }
}

/// The state after `action`, for an actor who is (or is not) the one who submitted the work.
pub fn next_state(
    state: HazardState,
    action: HazardAction,
    actor_submitted_it: bool,
) -> Result<HazardState, Refusal> {
    use HazardAction as A;
    use HazardState as S;
    match (state, action) {
        (S::Reported | S::Assigned | S::Rectifying, A::Assign) => Ok(S::Assigned),
        (S::Assigned, A::Start) => Ok(S::Rectifying),
        (S::Reported | S::Assigned | S::Rectifying | S::Submitted, A::InterimControl) => Ok(state),
        (S::Assigned | S::Rectifying, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Verify) if actor_submitted_it => Err(Refusal::OwnWork),
        (S::Submitted, A::Verify) => Ok(S::Closed),
        (S::Submitted, A::SendBack) => Ok(S::Rectifying),
        _ => Err(Refusal::NotNow),
    }
}

/// A stored hazard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub id: crate::ids::HazardId,
    pub school_id: crate::ids::OrgUnitId,
    pub school_path: String,
    pub place: String,
    pub description: String,
    pub severity: Severity,
    /// What kind of hazard; none for those found by an inspection or recorded before
    /// hazards had categories.
    #[serde(default)]
    pub category: Option<Category>,
    pub state: HazardState,
    pub responsible_id: Option<crate::ids::PersonId>,
    pub responsible_name: Option<String>,
    pub deadline: Option<time::Date>,
    /// The account that submitted the work (who may not verify it).
    pub submitted_by: Option<crate::ids::UserId>,
    /// The record it came from (`inspections/<id>`), when found by an inspection.
    pub source: Option<String>,
    pub reported_by: String,
    pub reported_on: time::Date,
    pub closed_on: Option<time::Date>,
}

impl Hazard {
    /// Open past its deadline.
    pub fn is_overdue(&self, today: time::Date) -> bool {
        self.state.is_open() && self.deadline.is_some_and(|d| today > d)
    }
}

/// A new hazard as reported: where, what, how serious.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHazard {
    pub place: String,
    pub description: String,
    pub severity: Severity,
    pub category: Category,
}

impl NewHazard {
    pub fn parse(
        place: &str,
        description: &str,
        severity: &str,
        category: &str,
    ) -> Result<Self, Invalid> {
        let mut errors = Invalid::default();
        let place = errors.take(bounded_text("place", place, 100));
        let description = errors.take(bounded_text("description", description, 2000));
        let severity = Severity::parse(severity.trim());
        if severity.is_none() {
            errors.push("severity", "error.choose_one");
        }
        let category = Category::parse(category.trim());
        if category.is_none() {
            errors.push("category", "error.choose_one");
        }
        errors.into_result()?;
        match (place, description, severity, category) {
            (Some(place), Some(description), Some(severity), Some(category)) => Ok(NewHazard {
                place,
                description,
                severity,
                category,
            }),
            _ => Err(Invalid::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HazardAction as A;
    use HazardState as S;

    #[test]
    fn the_loop_closes_only_through_verification() {
        // R-HZD-3: who, by when, evidence, verification.
        let mut state = S::Reported;
        for action in [A::Assign, A::Start, A::Submit] {
            state = next_state(state, action, false).unwrap();
        }
        assert_eq!(state, S::Submitted);
        assert_eq!(next_state(state, A::Verify, true), Err(Refusal::OwnWork));
        assert_eq!(next_state(state, A::SendBack, false), Ok(S::Rectifying));
        assert_eq!(next_state(state, A::Verify, false), Ok(S::Closed));
        assert_eq!(
            next_state(S::Closed, A::Assign, false),
            Err(Refusal::NotNow)
        );
        assert_eq!(
            next_state(S::Reported, A::Submit, false),
            Err(Refusal::NotNow)
        );
        assert_eq!(
            next_state(S::Rectifying, A::InterimControl, false),
            Ok(S::Rectifying)
        );
    }

    #[test]
    fn a_report_needs_place_description_and_severity() {
        let err = NewHazard::parse("", "", "huge", "weather").unwrap_err();
        assert_eq!(err.message_for("place"), Some("error.required"));
        assert_eq!(err.message_for("severity"), Some("error.choose_one"));
        assert_eq!(err.message_for("category"), Some("error.choose_one"));
        let new = NewHazard::parse("食堂後門", "滅火器過期", "major", "fire").unwrap();
        assert_eq!(new.category, Category::Fire);
    }

    #[test]
    fn categories_read_back_from_their_codes() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
        assert_eq!(Category::parse("Fire"), None);
    }
}
