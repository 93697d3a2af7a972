//! Role assignments (R-ORG-2): who holds which role at which unit, and the grants a
//! session's `Scope` is built from.

use crate::sql::{Arg, Sql, micros, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::ids::{OrgUnitId, PersonId, RoleAssignmentId};
use domain::org::{OrgUnit, UnitKind};
use domain::person::Person;
use domain::role::Role;
use domain::scope::{Grant, Scope};
use domain::unit_path::UnitPath;
use serde::Serialize;
use sqlx::any::AnyRow;

/// One role held by one person at one unit.
#[derive(Debug, Clone, Serialize)]
pub struct RoleAssignment {
    pub id: RoleAssignmentId,
    pub person_id: PersonId,
    pub role: Role,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub unit_path: String,
}

const SELECT: &str = "SELECT r.id, r.person_id, r.role, r.unit_id, r.unit_path, o.name AS unit_name, o.kind AS unit_kind \
     FROM role_assignments r JOIN org_units o ON o.id = r.unit_id WHERE 1 = 1";

fn assignment_from_row(row: &AnyRow) -> Result<RoleAssignment> {
    let role_code = text(row, "role")?;
    let kind_code = text(row, "unit_kind")?;
    Ok(RoleAssignment {
        id: parsed(row, "id")?,
        person_id: parsed(row, "person_id")?,
        role: Role::parse(&role_code).ok_or_else(|| Error::Corrupt(format!("role {role_code}")))?,
        unit_id: parsed(row, "unit_id")?,
        unit_name: text(row, "unit_name")?,
        unit_kind: UnitKind::parse(&kind_code)
            .ok_or_else(|| Error::Corrupt(format!("unit kind {kind_code}")))?,
        unit_path: text(row, "unit_path")?,
    })
}

/// The subtree a role held at a unit may read: the enclosing school for grade groups and
/// classes (a grade group's parent is a school, a class's grandparent), otherwise the unit.
fn reach_path(kind: UnitKind, path: &UnitPath) -> UnitPath {
    path.up(match kind {
        UnitKind::GradeGroup => 1,
        UnitKind::Class => 2,
        _ => 0,
    })
}

impl Db {
    /// The role assignments held inside `unit`'s subtree, as far as the scope sees.
    pub async fn role_assignments_under(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
    ) -> Result<Vec<RoleAssignment>> {
        let mut sql = Sql::new(SELECT);
        sql.and_under("r.unit_path", &unit.path)
            .and_in_scope(scope, "r.unit_path")
            .push(" ORDER BY r.role");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(assignment_from_row)
            .collect()
    }

    /// The roles one person holds, as far as the scope sees.
    pub async fn role_assignments_of(
        &self,
        scope: &Scope,
        person: PersonId,
    ) -> Result<Vec<RoleAssignment>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND r.person_id = ")
            .bind(Arg::Text(person.to_string()))
            .and_in_scope(scope, "r.unit_path");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(assignment_from_row)
            .collect()
    }

    /// The grants a session's scope is built from. Called only by the session layer,
    /// before there is a scope to ask with.
    pub async fn grants_for_session(&self, person: PersonId) -> Result<Vec<Grant>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND r.person_id = ")
            .bind(Arg::Text(person.to_string()));
        let rows = sql.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let a = assignment_from_row(row)?;
                let unit_path = UnitPath::parse(&a.unit_path)
                    .ok_or_else(|| Error::Corrupt(format!("unit_path={}", a.unit_path)))?;
                Ok(Grant {
                    role: a.role,
                    unit_id: a.unit_id,
                    reach_path: reach_path(a.unit_kind, &unit_path),
                    unit_path,
                })
            })
            .collect()
    }
}

impl Write<'_> {
    /// Gives `person` the `role` at `unit`.
    pub async fn assign_role(
        &mut self,
        person: &Person,
        role: Role,
        unit: &OrgUnit,
    ) -> Result<RoleAssignment> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        if !role.may_be_held_at(unit.kind) {
            return Err(Error::Conflict("error.role_not_at_level"));
        }
        let assignment = RoleAssignment {
            id: RoleAssignmentId::new(),
            person_id: person.id,
            role,
            unit_id: unit.id,
            unit_name: unit.name.clone(),
            unit_kind: unit.kind,
            unit_path: unit.path.to_string(),
        };
        sqlx::query("INSERT INTO role_assignments (id, person_id, role, unit_id, unit_path, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(assignment.id.to_string())
            .bind(person.id.to_string())
            .bind(role.code())
            .bind(unit.id.to_string())
            .bind(unit.path.to_string())
            .bind(micros(self.now))
            .execute(&mut *self.tx)
            .await
            .map_err(|e| crate::error::conflict_on_unique(e, "error.role_already_held"))?;
        self.audit(
            "create",
            "role_assignment",
            &assignment.id.to_string(),
            Some(&unit.path),
            None::<&()>,
            Some(&assignment),
        )
        .await?;
        Ok(assignment)
    }

    /// Takes a role away.
    pub async fn remove_role(&mut self, assignment: &RoleAssignment) -> Result<()> {
        if !self.scope.sees(&assignment.unit_path) {
            return Err(Error::NotFound);
        }
        sqlx::query("DELETE FROM role_assignments WHERE id = $1")
            .bind(assignment.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.audit(
            "delete",
            "role_assignment",
            &assignment.id.to_string(),
            Some(&assignment.unit_path),
            Some(assignment),
            None::<&()>,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_climbs_to_the_school() {
        let reach = |kind, path| reach_path(kind, &UnitPath::parse(path).unwrap()).to_string();
        assert_eq!(reach(UnitKind::Class, "/b/c/s/g/k/"), "/b/c/s/");
        assert_eq!(reach(UnitKind::GradeGroup, "/b/c/s/g/"), "/b/c/s/");
        assert_eq!(reach(UnitKind::School, "/b/c/s/"), "/b/c/s/");
        assert_eq!(reach(UnitKind::Bureau, "/b/"), "/b/");
    }
}
