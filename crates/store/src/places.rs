//! A school's places and safety equipment (R-HZD-5, R-SEC-1), and the monthly check of each
//! piece of equipment.

use crate::sql::{Arg, Sql, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::{format_date, parse_date};
use domain::ids::EquipmentId;
use domain::org::OrgUnit;
use domain::place::{Equipment, Place};
use domain::scope::Scope;
use sqlx::any::AnyRow;
use time::Date;

fn place_from_row(row: &AnyRow) -> Result<Place> {
    Ok(Place {
        id: parsed(row, "id")?,
        school_id: parsed(row, "school_id")?,
        school_path: text(row, "school_path")?,
        name: text(row, "name")?,
        kind: text(row, "kind")?,
    })
}

fn equipment_from_row(row: &AnyRow) -> Result<Equipment> {
    let date =
        |c: &str| -> Result<Option<Date>> { Ok(opt_text(row, c)?.as_deref().and_then(parse_date)) };
    Ok(Equipment {
        id: parsed(row, "id")?,
        school_id: parsed(row, "school_id")?,
        school_path: text(row, "school_path")?,
        place: text(row, "place")?,
        kind: text(row, "kind")?,
        label: text(row, "label")?,
        serviced_on: date("serviced_on")?,
        expires_on: date("expires_on")?,
        checked_on: date("checked_on")?,
    })
}

const EQUIPMENT: &str = "SELECT id, school_id, school_path, place, kind, label, serviced_on, expires_on, checked_on FROM equipment WHERE 1 = 1";

impl Db {
    /// The places of the schools under `unit`.
    pub async fn places(&self, scope: &Scope, unit: &OrgUnit) -> Result<Vec<Place>> {
        let mut sql =
            Sql::new("SELECT id, school_id, school_path, name, kind FROM places WHERE 1 = 1");
        sql.and_under("school_path", &unit.path)
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY kind, name");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(place_from_row)
            .collect()
    }

    /// The equipment of the schools under `unit`.
    pub async fn equipment(&self, scope: &Scope, unit: &OrgUnit) -> Result<Vec<Equipment>> {
        let mut sql = Sql::new(EQUIPMENT);
        sql.and_under("school_path", &unit.path)
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY place, kind, label");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(equipment_from_row)
            .collect()
    }

    pub async fn equipment_item(&self, scope: &Scope, id: EquipmentId) -> Result<Equipment> {
        let mut sql = Sql::new(EQUIPMENT);
        sql.push(" AND id = ")
            .bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "school_path");
        let row = sql.query().fetch_optional(&self.pool).await?;
        equipment_from_row(&row.ok_or(Error::NotFound)?)
    }
}

impl Write<'_> {
    pub async fn add_place(&mut self, school: &OrgUnit, place: &Place) -> Result<()> {
        if !self.scope.sees(&school.path) || place.school_path != school.path {
            return Err(Error::NotFound);
        }
        sqlx::query("INSERT INTO places (id, school_id, school_path, name, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(place.id.to_string())
            .bind(school.id.to_string())
            .bind(school.path.to_string())
            .bind(place.name.clone())
            .bind(place.kind.clone())
            .bind(micros(self.now))
            .execute(&mut *self.tx)
            .await
            .map_err(|e| crate::error::conflict_on_unique(e, "error.place_exists"))?;
        self.audit(
            "create",
            "place",
            &place.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(place),
        )
        .await
    }

    pub async fn add_equipment(&mut self, school: &OrgUnit, item: &Equipment) -> Result<()> {
        if !self.scope.sees(&school.path) || item.school_path != school.path {
            return Err(Error::NotFound);
        }
        sqlx::query(
            "INSERT INTO equipment (id, school_id, school_path, place, kind, label, serviced_on, expires_on, checked_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(item.id.to_string())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(item.place.clone())
        .bind(item.kind.clone())
        .bind(item.label.clone())
        .bind(item.serviced_on.map(format_date))
        .bind(item.expires_on.map(format_date))
        .bind(item.checked_on.map(format_date))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        self.audit(
            "create",
            "equipment",
            &item.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(item),
        )
        .await
    }

    /// Records the monthly check of a piece of equipment on `day`.
    pub async fn check_equipment(&mut self, item: &Equipment, day: Date) -> Result<()> {
        if !self.scope.sees(&item.school_path) {
            return Err(Error::NotFound);
        }
        sqlx::query("UPDATE equipment SET checked_on = $1 WHERE id = $2")
            .bind(format_date(day))
            .bind(item.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        let after = Equipment {
            checked_on: Some(day),
            ..item.clone()
        };
        self.audit(
            "check",
            "equipment",
            &item.id.to_string(),
            Some(&item.school_path),
            Some(item),
            Some(&after),
        )
        .await
    }
}
