//! Organisation units (R-ORG-1): reads filtered by scope, writes audited.

use crate::sql::{Arg, Sql, flag, micros, opt_parsed, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::ids::OrgUnitId;
use domain::org::{NewUnit, OrgUnit, SchoolKind, SchoolProfile, UnitKind};
use domain::scope::Scope;
use domain::zone::Zone;
use sqlx::any::AnyRow;

const COLUMNS: &str =
    "id, parent_id, kind, name, path, school_kind, boarding, has_canteen, time_zone";

fn unit_from_row(row: &AnyRow) -> Result<OrgUnit> {
    let kind_code = text(row, "kind")?;
    let kind = UnitKind::parse(&kind_code)
        .ok_or_else(|| Error::Corrupt(format!("unit kind {kind_code}")))?;
    let school = match crate::sql::opt_text(row, "school_kind")? {
        Some(code) => Some(SchoolProfile {
            kind: SchoolKind::parse(&code)
                .ok_or_else(|| Error::Corrupt(format!("school kind {code}")))?,
            boarding: flag(row, "boarding")?,
            has_canteen: flag(row, "has_canteen")?,
        }),
        None => None,
    };
    Ok(OrgUnit {
        id: parsed(row, "id")?,
        parent_id: opt_parsed(row, "parent_id")?,
        kind,
        name: text(row, "name")?,
        path: crate::sql::unit_path(row, "path")?,
        school,
        time_zone: crate::sql::opt_text(row, "time_zone")?
            .map(|name| Zone::parse(&name).map_err(|_| Error::Corrupt(format!("time zone {name}"))))
            .transpose()?,
    })
}

impl Db {
    /// One unit, if the scope sees it.
    pub async fn unit(&self, scope: &Scope, id: OrgUnitId) -> Result<OrgUnit> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM org_units WHERE id = "));
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "path");
        let row = sql
            .query()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        unit_from_row(&row)
    }

    /// The time zone of the county: that of the bureau at the top of the tree (the
    /// default when it chose none, or when there is no bureau yet).
    pub async fn county_zone(&self, scope: &Scope) -> Result<Zone> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM org_units WHERE parent_id IS NULL AND kind = 'bureau'"
        ));
        sql.and_in_scope(scope, "path")
            .push(" ORDER BY path LIMIT 1");
        let row = sql.query().fetch_optional(&self.pool).await?;
        Ok(match row {
            Some(row) => unit_from_row(&row)?.time_zone.unwrap_or_default(),
            None => Zone::default(),
        })
    }

    /// Every unit the scope sees, parents before children.
    pub async fn units(&self, scope: &Scope) -> Result<Vec<OrgUnit>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM org_units WHERE 1 = 1"));
        sql.and_in_scope(scope, "path").push(" ORDER BY path");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(unit_from_row)
            .collect()
    }

    /// The units at or below `root` that the scope sees, parents before children.
    pub async fn units_under(&self, scope: &Scope, root: &OrgUnit) -> Result<Vec<OrgUnit>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM org_units WHERE 1 = 1"));
        sql.and_under("path", &root.path)
            .and_in_scope(scope, "path")
            .push(" ORDER BY path");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(unit_from_row)
            .collect()
    }

    /// The schools at or below `root` that the scope sees, in tree order.
    pub async fn schools_under(&self, scope: &Scope, root: &OrgUnit) -> Result<Vec<OrgUnit>> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM org_units WHERE kind = 'school'"
        ));
        sql.and_under("path", &root.path)
            .and_in_scope(scope, "path")
            .push(" ORDER BY path");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(unit_from_row)
            .collect()
    }

    /// The units that contain `unit`, root first, limited to what the scope sees.
    pub async fn ancestors(&self, scope: &Scope, unit: &OrgUnit) -> Result<Vec<OrgUnit>> {
        let ids: Vec<&str> = unit.path.trim_matches('/').split('/').collect();
        if ids.len() <= 1 {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM org_units WHERE id IN ("));
        for (i, id) in ids.iter().take(ids.len().saturating_sub(1)).enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text((*id).to_owned()));
        }
        sql.push(")")
            .and_in_scope(scope, "path")
            .push(" ORDER BY path");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(unit_from_row)
            .collect()
    }

    /// Number of units of each kind the scope sees.
    pub async fn unit_counts(&self, scope: &Scope) -> Result<Vec<(UnitKind, i64)>> {
        let mut sql = Sql::new("SELECT kind, COUNT(*) AS n FROM org_units WHERE 1 = 1");
        sql.and_in_scope(scope, "path").push(" GROUP BY kind");
        let rows = sql.query().fetch_all(&self.pool).await?;
        let mut counts = Vec::new();
        for row in rows {
            if let Some(kind) = UnitKind::parse(&text(&row, "kind")?) {
                counts.push((kind, crate::sql::int(&row, "n")?));
            }
        }
        Ok(counts)
    }

    /// Whether any unit exists (an empty database gets the demo county).
    pub async fn is_empty(&self) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM org_units")
            .fetch_one(&self.pool)
            .await?;
        Ok(crate::sql::int(&row, "n")? == 0)
    }
}

impl Write<'_> {
    async fn insert_unit(&mut self, unit: &OrgUnit) -> Result<()> {
        let profile = unit.school;
        let mut sql = Sql::new(
            "INSERT INTO org_units (id, parent_id, kind, name, path, school_kind, boarding, has_canteen, created_at) VALUES (",
        );
        sql.bind(Arg::Text(unit.id.to_string()))
            .push(", ")
            .bind(Arg::OptText(unit.parent_id.map(|p| p.to_string())))
            .push(", ")
            .bind(Arg::Text(unit.kind.code().to_owned()))
            .push(", ")
            .bind(Arg::Text(unit.name.clone()))
            .push(", ")
            .bind(Arg::Text(unit.path.to_string()))
            .push(", ")
            .bind(Arg::OptText(profile.map(|p| p.kind.code().to_owned())))
            .push(", ")
            .bind(Arg::Int(i64::from(profile.is_some_and(|p| p.boarding))))
            .push(", ")
            .bind(Arg::Int(i64::from(profile.is_some_and(|p| p.has_canteen))))
            .push(", ")
            .bind(Arg::Int(micros(self.now)))
            .push(")");
        sql.query().execute(&mut *self.tx).await?;
        self.audit(
            "create",
            "org_unit",
            &unit.id.to_string(),
            Some(&unit.path),
            None::<&()>,
            Some(unit),
        )
        .await
    }

    /// Creates the root of an organisation (a bureau). Only the system scope may.
    pub async fn create_root_unit(&mut self, name: &str) -> Result<OrgUnit> {
        if !self.scope.is_system() {
            return Err(Error::Forbidden);
        }
        let id = OrgUnitId::new();
        let unit = OrgUnit {
            id,
            parent_id: None,
            kind: UnitKind::Bureau,
            name: name.to_owned(),
            path: OrgUnit::root_path(id),
            school: None,
            time_zone: None,
        };
        self.insert_unit(&unit).await?;
        Ok(unit)
    }

    /// Creates a unit under `parent`, which the scope must see.
    pub async fn create_unit(&mut self, parent: &OrgUnit, new: &NewUnit) -> Result<OrgUnit> {
        if !self.scope.sees(&parent.path) {
            return Err(Error::NotFound);
        }
        if !parent.kind.may_contain(new.kind) {
            return Err(Error::Conflict("error.unit_kind_not_allowed_here"));
        }
        let id = OrgUnitId::new();
        let unit = OrgUnit {
            id,
            parent_id: Some(parent.id),
            kind: new.kind,
            name: new.name.clone(),
            path: parent.child_path(id),
            school: new.school,
            time_zone: None,
        };
        self.insert_unit(&unit).await?;
        Ok(unit)
    }

    /// Renames a unit and, for a school, updates its profile.
    pub async fn update_unit(
        &mut self,
        before: &OrgUnit,
        name: &str,
        school: Option<SchoolProfile>,
        time_zone: Option<Zone>,
    ) -> Result<OrgUnit> {
        if !self.scope.sees(&before.path) {
            return Err(Error::NotFound);
        }
        let after = OrgUnit {
            name: name.to_owned(),
            school: if before.school.is_some() {
                school
            } else {
                None
            },
            time_zone: if before.kind == UnitKind::Bureau {
                time_zone
            } else {
                None
            },
            ..before.clone()
        };
        let profile = after.school;
        let mut sql = Sql::new("UPDATE org_units SET name = ");
        sql.bind(Arg::Text(after.name.clone()))
            .push(", school_kind = ")
            .bind(Arg::OptText(profile.map(|p| p.kind.code().to_owned())))
            .push(", boarding = ")
            .bind(Arg::Int(i64::from(profile.is_some_and(|p| p.boarding))))
            .push(", has_canteen = ")
            .bind(Arg::Int(i64::from(profile.is_some_and(|p| p.has_canteen))))
            .push(", time_zone = ")
            .bind(Arg::OptText(
                after.time_zone.as_ref().map(|z| z.name().to_owned()),
            ))
            .push(" WHERE id = ")
            .bind(Arg::Text(after.id.to_string()));
        sql.query().execute(&mut *self.tx).await?;
        self.audit(
            "update",
            "org_unit",
            &after.id.to_string(),
            Some(&after.path),
            Some(before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }

    /// Deletes a unit that holds no units, people or roles.
    pub async fn delete_unit(&mut self, unit: &OrgUnit) -> Result<()> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let id = unit.id.to_string();
        for check in [
            "SELECT COUNT(*) AS n FROM org_units WHERE parent_id = $1",
            "SELECT COUNT(*) AS n FROM people WHERE unit_id = $1",
            "SELECT COUNT(*) AS n FROM role_assignments WHERE unit_id = $1",
        ] {
            let row = sqlx::query(check)
                .bind(id.clone())
                .fetch_one(&mut *self.tx)
                .await?;
            if crate::sql::int(&row, "n")? > 0 {
                return Err(Error::Conflict("error.unit_not_empty"));
            }
        }
        sqlx::query("DELETE FROM leadership_members WHERE school_id = $1")
            .bind(id.clone())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM org_units WHERE id = $1")
            .bind(id.clone())
            .execute(&mut *self.tx)
            .await?;
        self.audit(
            "delete",
            "org_unit",
            &id,
            Some(&unit.path),
            Some(unit),
            None::<&()>,
        )
        .await
    }
}
