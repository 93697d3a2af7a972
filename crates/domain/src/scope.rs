//! `Scope`: who is asking and which part of the organisation they may see and change.
//! Every store call takes one; only the session layer (or a CLI command acting as the
//! system) makes one.

use crate::ids::{OrgUnitId, PersonId, UserId};
use crate::role::{Permission, Role};
use crate::unit_path::UnitPath;

/// One role held at one unit, with the subtree it acts on and the subtree it may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub unit_id: OrgUnitId,
    /// Path of the unit where the role is held: permissions act inside it.
    pub unit_path: UnitPath,
    /// Path of the subtree the role may read: the enclosing school for roles held at a
    /// grade group or class, otherwise the unit itself.
    pub reach_path: UnitPath,
}

/// The caller of a data access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub user_id: Option<UserId>,
    pub person_id: Option<PersonId>,
    pub actor_name: String,
    grants: Vec<Grant>,
    system: bool,
}

impl Scope {
    /// The scope of a signed-in user, built from their role assignments.
    pub fn for_user(
        user_id: UserId,
        person_id: Option<PersonId>,
        actor_name: String,
        grants: Vec<Grant>,
    ) -> Self {
        Self {
            user_id: Some(user_id),
            person_id,
            actor_name,
            grants,
            system: false,
        }
    }

    /// The operator at the command line (migrate, demo, user add): sees everything.
    pub fn system(actor_name: &str) -> Self {
        Self {
            user_id: None,
            person_id: None,
            actor_name: actor_name.to_owned(),
            grants: Vec::new(),
            system: true,
        }
    }

    pub fn is_system(&self) -> bool {
        self.system
    }

    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    pub fn roles(&self) -> impl Iterator<Item = Role> + '_ {
        self.grants.iter().map(|g| g.role)
    }

    /// The read roots: every unit at or below one of these paths is visible.
    /// `None` means everything (the system scope).
    pub fn read_roots(&self) -> Option<Vec<&UnitPath>> {
        if self.system {
            return None;
        }
        let mut roots: Vec<&UnitPath> = self.grants.iter().map(|g| &g.reach_path).collect();
        roots.sort_unstable();
        roots.dedup();
        // Drop roots already covered by a shorter one.
        let covered: Vec<&UnitPath> = roots.clone();
        roots.retain(|r| !covered.iter().any(|c| c != r && c.contains(r)));
        Some(roots)
    }

    /// Whether a unit with this path is visible.
    pub fn sees(&self, unit_path: &str) -> bool {
        self.system || self.grants.iter().any(|g| g.reach_path.contains(unit_path))
    }

    /// Whether the caller holds `permission` for the unit with this path.
    pub fn can(&self, permission: Permission, unit_path: &str) -> bool {
        self.system
            || self
                .grants
                .iter()
                .any(|g| g.role.grants(permission) && g.unit_path.contains(unit_path))
    }

    /// The same caller, reading only where they hold `permission` (for the audit log,
    /// health and counselling records, whose reach is narrower than the org's).
    pub fn narrowed_to(&self, permission: Permission) -> Scope {
        let grants = self
            .grants
            .iter()
            .filter(|g| g.role.grants(permission))
            .map(|g| Grant {
                reach_path: g.unit_path.clone(),
                ..g.clone()
            })
            .collect();
        Scope {
            grants,
            ..self.clone()
        }
    }

    /// Whether the caller holds `permission` anywhere.
    pub fn can_somewhere(&self, permission: Permission) -> bool {
        self.system || self.grants.iter().any(|g| g.role.grants(permission))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str, reach: &str) -> Grant {
        Grant {
            role,
            unit_id: OrgUnitId::new(),
            unit_path: UnitPath::parse(path).unwrap(),
            reach_path: UnitPath::parse(reach).unwrap(),
        }
    }

    #[test]
    fn principal_sees_only_their_school() {
        let scope = Scope::for_user(
            UserId::new(),
            None,
            "王校長".into(),
            vec![grant(Role::Principal, "/b/c/s1/", "/b/c/s1/")],
        );
        assert!(scope.sees("/b/c/s1/g1/"));
        assert!(!scope.sees("/b/c/s2/"));
        assert!(!scope.sees("/b/c/"));
        assert!(scope.can(Permission::ManageOrg, "/b/c/s1/g1/c1/"));
        assert!(!scope.can(Permission::ManageOrg, "/b/c/s2/"));
    }

    #[test]
    fn teacher_reads_school_but_manages_nothing() {
        let scope = Scope::for_user(
            UserId::new(),
            None,
            "李老師".into(),
            vec![grant(Role::HeadTeacher, "/b/c/s1/g1/c1/", "/b/c/s1/")],
        );
        assert!(scope.sees("/b/c/s1/"));
        assert!(!scope.can(Permission::ManageOrg, "/b/c/s1/g1/c1/"));
    }

    #[test]
    fn read_roots_are_minimal() {
        let scope = Scope::for_user(
            UserId::new(),
            None,
            "x".into(),
            vec![
                grant(Role::CentralAdmin, "/b/c/", "/b/c/"),
                grant(Role::Teacher, "/b/c/s1/", "/b/c/s1/"),
            ],
        );
        let roots: Vec<&str> = scope
            .read_roots()
            .unwrap()
            .into_iter()
            .map(UnitPath::as_str)
            .collect();
        assert_eq!(roots, ["/b/c/"]);
        assert!(Scope::system("cli").read_roots().is_none());
    }

    #[test]
    fn narrowing_keeps_only_granting_roles() {
        let scope = Scope::for_user(
            UserId::new(),
            None,
            "x".into(),
            vec![
                grant(Role::Principal, "/b/c/s1/", "/b/c/s1/"),
                grant(Role::Teacher, "/b/c/s2/", "/b/c/s2/"),
            ],
        );
        let audit = scope.narrowed_to(Permission::ViewAudit);
        assert!(audit.sees("/b/c/s1/"));
        assert!(!audit.sees("/b/c/s2/"));
    }
}
