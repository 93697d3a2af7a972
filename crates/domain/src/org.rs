//! The organisation hierarchy (R-ORG-1): bureau → central school → school → grade group → class.

use crate::error::{Invalid, bounded_text};
use crate::ids::OrgUnitId;
use serde::{Deserialize, Serialize};

/// The level of an organisation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Bureau,
    CentralSchool,
    School,
    GradeGroup,
    Class,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Bureau,
        UnitKind::CentralSchool,
        UnitKind::School,
        UnitKind::GradeGroup,
        UnitKind::Class,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Bureau => "bureau",
            UnitKind::CentralSchool => "central_school",
            UnitKind::School => "school",
            UnitKind::GradeGroup => "grade_group",
            UnitKind::Class => "class",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The i18n key of this kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            UnitKind::Bureau => "unit_kind.bureau",
            UnitKind::CentralSchool => "unit_kind.central_school",
            UnitKind::School => "unit_kind.school",
            UnitKind::GradeGroup => "unit_kind.grade_group",
            UnitKind::Class => "unit_kind.class",
        }
    }

    /// Which kinds may stand directly below this one. A bureau may also run schools
    /// directly (a county's own middle schools have no central school).
    pub fn may_contain(self, child: UnitKind) -> bool {
        matches!(
            (self, child),
            (UnitKind::Bureau, UnitKind::CentralSchool)
                | (UnitKind::Bureau, UnitKind::School)
                | (UnitKind::CentralSchool, UnitKind::School)
                | (UnitKind::School, UnitKind::GradeGroup)
                | (UnitKind::GradeGroup, UnitKind::Class)
        )
    }

    /// Whether a unit of this kind is a school or sits inside one.
    pub fn is_school_level_or_below(self) -> bool {
        matches!(
            self,
            UnitKind::School | UnitKind::GradeGroup | UnitKind::Class
        )
    }
}

/// The kind of a school, which decides which obligations apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolKind {
    Primary,
    Secondary,
    Kindergarten,
}

impl SchoolKind {
    pub const ALL: [SchoolKind; 3] = [
        SchoolKind::Primary,
        SchoolKind::Secondary,
        SchoolKind::Kindergarten,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SchoolKind::Primary => "primary",
            SchoolKind::Secondary => "secondary",
            SchoolKind::Kindergarten => "kindergarten",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            SchoolKind::Primary => "school_kind.primary",
            SchoolKind::Secondary => "school_kind.secondary",
            SchoolKind::Kindergarten => "school_kind.kindergarten",
        }
    }
}

/// Facts about a school unit; `None` on units that are not schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolProfile {
    pub kind: SchoolKind,
    pub boarding: bool,
    pub has_canteen: bool,
}

/// A stored organisation unit. `path` lists the ids from the root, `/a/b/c/`, so that
/// "inside" is a prefix test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub parent_id: Option<OrgUnitId>,
    pub kind: UnitKind,
    pub name: String,
    pub path: crate::unit_path::UnitPath,
    pub school: Option<SchoolProfile>,
    /// The time zone of a bureau that chose one (issue 8); none for every other unit, and
    /// for a bureau that keeps `Zone::DEFAULT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<crate::zone::Zone>,
}

impl OrgUnit {
    /// The path a child of this unit gets.
    pub fn child_path(&self, child: OrgUnitId) -> crate::unit_path::UnitPath {
        self.path.child(child)
    }

    pub fn root_path(id: OrgUnitId) -> crate::unit_path::UnitPath {
        crate::unit_path::UnitPath::root(id)
    }

    /// Depth below the root (the root is 0).
    pub fn depth(&self) -> usize {
        self.path.depth()
    }
}

/// A unit's name: trimmed, 1 to 60 characters.
pub fn parse_unit_name(raw: &str) -> Result<String, Invalid> {
    bounded_text("name", raw, 60)
}

/// A validated request to create a unit under a parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub kind: UnitKind,
    pub name: String,
    pub school: Option<SchoolProfile>,
}

impl NewUnit {
    /// Parses a new unit placed under `parent`, checking the hierarchy rule.
    pub fn parse(
        parent: UnitKind,
        kind: &str,
        name: &str,
        school_kind: Option<&str>,
        boarding: bool,
        has_canteen: bool,
    ) -> Result<Self, Invalid> {
        let mut errors = Invalid::default();
        let name = errors.take(parse_unit_name(name));
        let kind = match UnitKind::parse(kind) {
            Some(kind) if parent.may_contain(kind) => Some(kind),
            Some(_) => {
                errors.push("kind", "error.unit_kind_not_allowed_here");
                None
            }
            None => {
                errors.push("kind", "error.choose_one");
                None
            }
        };
        let school = match kind {
            Some(UnitKind::School) => match school_kind.and_then(SchoolKind::parse) {
                Some(kind) => Some(SchoolProfile {
                    kind,
                    boarding,
                    has_canteen,
                }),
                None => {
                    errors.push("school_kind", "error.choose_one");
                    None
                }
            },
            _ => None,
        };
        errors.into_result()?;
        Ok(NewUnit {
            kind: kind.unwrap_or(UnitKind::Class),
            name: name.unwrap_or_default(),
            school,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_follows_r_org_1() {
        assert!(UnitKind::Bureau.may_contain(UnitKind::CentralSchool));
        assert!(UnitKind::CentralSchool.may_contain(UnitKind::School));
        assert!(UnitKind::School.may_contain(UnitKind::GradeGroup));
        assert!(UnitKind::GradeGroup.may_contain(UnitKind::Class));
        assert!(!UnitKind::Class.may_contain(UnitKind::Class));
        assert!(!UnitKind::School.may_contain(UnitKind::CentralSchool));
    }

    #[test]
    fn new_school_needs_a_kind() {
        let err = NewUnit::parse(
            UnitKind::CentralSchool,
            "school",
            "新華國小",
            None,
            false,
            true,
        )
        .unwrap_err();
        assert_eq!(err.message_for("school_kind"), Some("error.choose_one"));
        let ok = NewUnit::parse(
            UnitKind::CentralSchool,
            "school",
            "新華國小",
            Some("primary"),
            true,
            true,
        )
        .unwrap();
        assert!(ok.school.unwrap().boarding);
    }

    #[test]
    fn a_class_cannot_sit_under_a_bureau() {
        let err =
            NewUnit::parse(UnitKind::Bureau, "class", "一年一班", None, false, false).unwrap_err();
        assert_eq!(
            err.message_for("kind"),
            Some("error.unit_kind_not_allowed_here")
        );
    }

    #[test]
    fn paths_nest() {
        let id = OrgUnitId::new();
        let root = OrgUnit {
            id,
            parent_id: None,
            kind: UnitKind::Bureau,
            name: "教育局".into(),
            path: OrgUnit::root_path(id),
            school: None,
            time_zone: None,
        };
        assert_eq!(root.depth(), 0);
        let child = OrgUnitId::new();
        assert!(root.path.contains(&root.child_path(child)));
    }
}
