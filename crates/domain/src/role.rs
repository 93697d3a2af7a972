//! Roles (R-ORG-2) and what each may do. A person may hold several roles (一崗雙責), each
//! at one organisation unit; this file is the one place that maps roles to permissions.

use crate::org::UnitKind;
use serde::{Deserialize, Serialize};

/// A role from REQUIREMENTS.md "Who uses it", held at one organisation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    BureauAdmin,
    BureauStaff,
    CentralAdmin,
    CentralStaff,
    Principal,
    VicePrincipal,
    SafetyOfficer,
    GovernanceOffice,
    DutyLeader,
    DutyTeacher,
    GradeLeader,
    HeadTeacher,
    Teacher,
    GateGuard,
    CanteenManager,
    SchoolDoctor,
    Counsellor,
    LegalVicePrincipal,
    LegalCounsellor,
    InfoLiaison,
}

/// Something a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create and edit units, people, role assignments and the leadership group; import rosters.
    ManageOrg,
    /// Create logins, reset passwords, disable accounts.
    ManageUsers,
    /// Browse the audit log of the units in reach.
    ViewAudit,
    /// Read minors' health records (morning checks, sick absences).
    ViewHealth,
    /// Read counselling and child-protection records.
    ViewCounselling,
    /// Put a new version of the county's policy in force (R-POL-1).
    ManagePolicy,
    /// Keep the school's activity records: meetings, lessons, lectures, drills (R-MTG-1…);
    /// report hazards and run inspections.
    RecordActivity,
    /// Assign hazards, verify their rectification, send them back (R-HZD-3); prepare the
    /// monthly report.
    ManageHazards,
    /// Confirm the monthly report and send it to the central school (R-HZD-2).
    ConfirmReport,
}

impl Role {
    pub const ALL: [Role; 20] = [
        Role::BureauAdmin,
        Role::BureauStaff,
        Role::CentralAdmin,
        Role::CentralStaff,
        Role::Principal,
        Role::VicePrincipal,
        Role::SafetyOfficer,
        Role::GovernanceOffice,
        Role::DutyLeader,
        Role::DutyTeacher,
        Role::GradeLeader,
        Role::HeadTeacher,
        Role::Teacher,
        Role::GateGuard,
        Role::CanteenManager,
        Role::SchoolDoctor,
        Role::Counsellor,
        Role::LegalVicePrincipal,
        Role::LegalCounsellor,
        Role::InfoLiaison,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::BureauAdmin => "bureau_admin",
            Role::BureauStaff => "bureau_staff",
            Role::CentralAdmin => "central_admin",
            Role::CentralStaff => "central_staff",
            Role::Principal => "principal",
            Role::VicePrincipal => "vice_principal",
            Role::SafetyOfficer => "safety_officer",
            Role::GovernanceOffice => "governance_office",
            Role::DutyLeader => "duty_leader",
            Role::DutyTeacher => "duty_teacher",
            Role::GradeLeader => "grade_leader",
            Role::HeadTeacher => "head_teacher",
            Role::Teacher => "teacher",
            Role::GateGuard => "gate_guard",
            Role::CanteenManager => "canteen_manager",
            Role::SchoolDoctor => "school_doctor",
            Role::Counsellor => "counsellor",
            Role::LegalVicePrincipal => "legal_vice_principal",
            Role::LegalCounsellor => "legal_counsellor",
            Role::InfoLiaison => "info_liaison",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The i18n key of the role's name.
    pub fn label_key(self) -> String {
        format!("role.{}", self.code())
    }

    /// The kinds of unit at which this role can be held.
    pub fn held_at(self) -> &'static [UnitKind] {
        use UnitKind::*;
        match self {
            Role::BureauAdmin | Role::BureauStaff => &[Bureau],
            Role::CentralAdmin | Role::CentralStaff => &[CentralSchool],
            Role::GradeLeader => &[GradeGroup],
            Role::HeadTeacher | Role::InfoLiaison => &[Class],
            Role::Teacher => &[School, GradeGroup, Class],
            _ => &[School],
        }
    }

    /// Whether the role supervises schools from above (the bureau, a central school).
    pub fn supervises(self) -> bool {
        matches!(
            self,
            Role::BureauAdmin | Role::BureauStaff | Role::CentralAdmin | Role::CentralStaff
        )
    }

    pub fn may_be_held_at(self, kind: UnitKind) -> bool {
        self.held_at().contains(&kind)
    }

    /// Whether this role grants `permission` within the unit where it is held.
    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            ManageOrg => matches!(
                self,
                Role::BureauAdmin | Role::CentralAdmin | Role::Principal | Role::GovernanceOffice
            ),
            ManageUsers | ViewAudit => matches!(
                self,
                Role::BureauAdmin | Role::CentralAdmin | Role::Principal
            ),
            ViewHealth => matches!(
                self,
                Role::SchoolDoctor | Role::Principal | Role::VicePrincipal
            ),
            ViewCounselling => matches!(self, Role::Counsellor | Role::Principal),
            ManagePolicy => matches!(self, Role::BureauAdmin),
            ConfirmReport => matches!(self, Role::Principal),
            ManageHazards => matches!(
                self,
                Role::Principal
                    | Role::VicePrincipal
                    | Role::SafetyOfficer
                    | Role::GovernanceOffice
            ),
            RecordActivity => !matches!(
                self,
                Role::BureauAdmin
                    | Role::BureauStaff
                    | Role::CentralAdmin
                    | Role::CentralStaff
                    | Role::GateGuard
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
    }

    #[test]
    fn minors_health_is_narrow() {
        let readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.grants(Permission::ViewHealth))
            .collect();
        assert_eq!(
            readers,
            vec![Role::Principal, Role::VicePrincipal, Role::SchoolDoctor]
        );
        assert!(!Role::BureauAdmin.grants(Permission::ViewCounselling));
        assert!(!Role::Teacher.grants(Permission::ViewCounselling));
    }

    #[test]
    fn roles_sit_at_their_level() {
        assert!(Role::Principal.may_be_held_at(UnitKind::School));
        assert!(!Role::Principal.may_be_held_at(UnitKind::Class));
        assert!(Role::HeadTeacher.may_be_held_at(UnitKind::Class));
    }
}
