//! The leadership group (領導小組) of each school, R-ORG-5: who sits in it and which
//! governance work each member owns.

use crate::sql::{Arg, Sql, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::ids::{LeadershipMemberId, PersonId};
use domain::org::OrgUnit;
use domain::person::Person;
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;

/// One member of a school's leadership group.
#[derive(Debug, Clone, Serialize)]
pub struct LeadershipMember {
    pub id: LeadershipMemberId,
    pub person_id: PersonId,
    pub person_name: String,
    /// `leader`, `deputy` or `member`.
    pub position: String,
    /// The governance work this member owns.
    pub duty: Option<String>,
    pub school_path: String,
}

fn member_from_row(row: &AnyRow) -> Result<LeadershipMember> {
    Ok(LeadershipMember {
        id: parsed(row, "id")?,
        person_id: parsed(row, "person_id")?,
        person_name: text(row, "person_name")?,
        position: text(row, "position")?,
        duty: opt_text(row, "duty")?,
        school_path: text(row, "school_path")?,
    })
}

impl Db {
    /// The leadership group of `school`, leader first.
    pub async fn leadership(
        &self,
        scope: &Scope,
        school: &OrgUnit,
    ) -> Result<Vec<LeadershipMember>> {
        let mut sql = Sql::new(
            "SELECT m.id, m.person_id, p.name AS person_name, m.position, m.duty, m.school_path \
             FROM leadership_members m JOIN people p ON p.id = m.person_id WHERE m.school_id = ",
        );
        sql.bind(Arg::Text(school.id.to_string())).and_in_scope(scope, "m.school_path").push(
            " ORDER BY CASE m.position WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, p.name",
        );
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(member_from_row)
            .collect()
    }
}

impl Write<'_> {
    /// Adds `person` to the leadership group of `school`.
    pub async fn add_leadership_member(
        &mut self,
        school: &OrgUnit,
        person: &Person,
        position: &str,
        duty: Option<&str>,
    ) -> Result<LeadershipMember> {
        if !self.scope.sees(&school.path) {
            return Err(Error::NotFound);
        }
        let member = LeadershipMember {
            id: LeadershipMemberId::new(),
            person_id: person.id,
            person_name: person.name.clone(),
            position: position.to_owned(),
            duty: duty.map(str::to_owned),
            school_path: school.path.to_string(),
        };
        sqlx::query(
            "INSERT INTO leadership_members (id, school_id, school_path, person_id, position, duty, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(member.id.to_string())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(person.id.to_string())
        .bind(position.to_owned())
        .bind(member.duty.clone())
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| crate::error::conflict_on_unique(e, "error.already_member"))?;
        self.audit(
            "create",
            "leadership_member",
            &member.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(&member),
        )
        .await?;
        Ok(member)
    }

    /// Removes a member from the group.
    pub async fn remove_leadership_member(&mut self, member: &LeadershipMember) -> Result<()> {
        if !self.scope.sees(&member.school_path) {
            return Err(Error::NotFound);
        }
        sqlx::query("DELETE FROM leadership_members WHERE id = $1")
            .bind(member.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.audit(
            "delete",
            "leadership_member",
            &member.id.to_string(),
            Some(&member.school_path),
            Some(member),
            None::<&()>,
        )
        .await
    }
}
