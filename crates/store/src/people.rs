//! People and their place in the organisation: reads filtered by scope, writes audited.

use crate::roles::RoleAssignment;
use crate::sql::{Arg, Sql, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::ids::PersonId;
use domain::org::OrgUnit;
use domain::person::Person;
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;

/// A person with the roles they hold and their login, if any.
#[derive(Debug, Clone, Serialize)]
pub struct PersonWithRoles {
    pub person: Person,
    pub roles: Vec<RoleAssignment>,
    pub username: Option<String>,
}

fn person_from_row(row: &AnyRow) -> Result<Person> {
    Ok(Person {
        id: parsed(row, "id")?,
        unit_id: parsed(row, "unit_id")?,
        name: text(row, "name")?,
        phone: opt_text(row, "phone")?,
    })
}

impl Db {
    /// One person, if the scope sees their unit.
    pub async fn person(&self, scope: &Scope, id: PersonId) -> Result<Person> {
        let mut sql = Sql::new("SELECT id, unit_id, name, phone FROM people WHERE id = ");
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "unit_path");
        let row = sql
            .query()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        person_from_row(&row)
    }

    /// The people who belong to `unit` or hold a role inside it, with their roles and logins.
    pub async fn people_under(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
    ) -> Result<Vec<PersonWithRoles>> {
        let mut sql = Sql::new(
            "SELECT p.id, p.unit_id, p.name, p.phone, u.username FROM people p \
             LEFT JOIN users u ON u.person_id = p.id WHERE 1 = 1",
        );
        sql.and_under("p.unit_path", &unit.path)
            .and_in_scope(scope, "p.unit_path")
            .push(" ORDER BY p.name, p.id");
        let rows = sql.query().fetch_all(&self.pool).await?;
        let assignments = self.role_assignments_under(scope, unit).await?;
        rows.iter()
            .map(|row| {
                let person = person_from_row(row)?;
                let roles = assignments
                    .iter()
                    .filter(|a| a.person_id == person.id)
                    .cloned()
                    .collect();
                Ok(PersonWithRoles {
                    person,
                    roles,
                    username: opt_text(row, "username")?,
                })
            })
            .collect()
    }

    /// How many people the scope sees.
    pub async fn people_count(&self, scope: &Scope) -> Result<i64> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM people WHERE 1 = 1");
        sql.and_in_scope(scope, "unit_path");
        let row = sql.query().fetch_one(&self.pool).await?;
        crate::sql::int(&row, "n")
    }
}

impl Write<'_> {
    /// Adds a person to `unit`.
    pub async fn create_person(
        &mut self,
        unit: &OrgUnit,
        name: &str,
        phone: Option<&str>,
    ) -> Result<Person> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let person = Person {
            id: PersonId::new(),
            unit_id: unit.id,
            name: name.to_owned(),
            phone: phone.map(str::to_owned),
        };
        let mut sql = Sql::new(
            "INSERT INTO people (id, unit_id, unit_path, name, phone, created_at) VALUES (",
        );
        sql.bind(Arg::Text(person.id.to_string()))
            .push(", ")
            .bind(Arg::Text(unit.id.to_string()))
            .push(", ")
            .bind(Arg::Text(unit.path.to_string()))
            .push(", ")
            .bind(Arg::Text(person.name.clone()))
            .push(", ")
            .bind(Arg::OptText(person.phone.clone()))
            .push(", ")
            .bind(Arg::Int(micros(self.now)))
            .push(")");
        sql.query().execute(&mut *self.tx).await?;
        self.audit(
            "create",
            "person",
            &person.id.to_string(),
            Some(&unit.path),
            None::<&()>,
            Some(&person),
        )
        .await?;
        Ok(person)
    }

    /// Changes a person's name and phone.
    pub async fn update_person(
        &mut self,
        unit: &OrgUnit,
        before: &Person,
        name: &str,
        phone: Option<&str>,
    ) -> Result<Person> {
        if !self.scope.sees(&unit.path) || unit.id != before.unit_id {
            return Err(Error::NotFound);
        }
        let after = Person {
            name: name.to_owned(),
            phone: phone.map(str::to_owned),
            ..before.clone()
        };
        sqlx::query("UPDATE people SET name = $1, phone = $2 WHERE id = $3")
            .bind(after.name.clone())
            .bind(after.phone.clone())
            .bind(after.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.audit(
            "update",
            "person",
            &after.id.to_string(),
            Some(&unit.path),
            Some(before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}
