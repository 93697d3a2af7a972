//! Published checklist libraries (issue 4): the county's from its bureau, a school's own;
//! a unit reads those of the units above it and its own, oldest first.

use crate::sql::{Arg, Sql, micros, text};
use crate::{Db, Error, Result, Write};
use domain::org::OrgUnit;
use domain::scope::Scope;

/// One published library: where, and the document.
#[derive(Debug, Clone)]
pub struct PublishedLibrary {
    pub unit_path: String,
    pub source: String,
    pub created_by: String,
}

impl Db {
    /// The libraries that govern `unit`: published above it or on it, the county's first.
    pub async fn checklist_libraries(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
    ) -> Result<Vec<PublishedLibrary>> {
        if !scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let mut sql = Sql::new(
            "SELECT unit_path, source, created_by FROM checklist_libraries WHERE unit_id IN (",
        );
        for (i, id) in unit.path.ids().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(id.to_owned()));
        }
        sql.push(") ORDER BY created_at");
        let mut list: Vec<PublishedLibrary> = sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(PublishedLibrary {
                    unit_path: text(row, "unit_path")?,
                    source: text(row, "source")?,
                    created_by: text(row, "created_by")?,
                })
            })
            .collect::<Result<_>>()?;
        // Units nearer the root first; within a unit, in the order published.
        list.sort_by_key(|l| l.unit_path.len());
        Ok(list)
    }
}

impl Write<'_> {
    pub async fn publish_checklists(
        &mut self,
        unit: &OrgUnit,
        source: &str,
        codes: &[String],
    ) -> Result<()> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO checklist_libraries (id, unit_id, unit_path, source, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.clone())
        .bind(unit.id.to_string())
        .bind(unit.path.to_string())
        .bind(source.to_owned())
        .bind(self.scope.actor_name.clone())
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        let after = serde_json::json!({ "templates": codes, "source": source });
        self.audit(
            "create",
            "checklist_library",
            &id,
            Some(&unit.path),
            None::<&()>,
            Some(&after),
        )
        .await
    }
}
