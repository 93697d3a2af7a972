//! Policy versions (R-POL-1): the TOML text a bureau put in force, from which day, by whom.
//! Schools read the versions of the units above them.

use crate::sql::{Arg, Sql, instant, micros, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::{format_date, parse_date};
use domain::ids::PolicyVersionId;
use domain::org::OrgUnit;
use domain::policy::Policy;
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;
use time::{Date, OffsetDateTime};

/// One stored version of the policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyVersion {
    pub id: PolicyVersionId,
    pub unit_path: String,
    pub effective_from: Date,
    pub name: String,
    pub version: String,
    /// The document as uploaded, comments included.
    #[serde(skip)]
    pub source: String,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

fn version_from_row(row: &AnyRow) -> Result<PolicyVersion> {
    let raw = text(row, "effective_from")?;
    Ok(PolicyVersion {
        id: parsed(row, "id")?,
        unit_path: text(row, "unit_path")?,
        effective_from: parse_date(&raw)
            .ok_or_else(|| Error::Corrupt(format!("effective_from={raw}")))?,
        name: text(row, "name")?,
        version: text(row, "version")?,
        source: text(row, "source")?,
        created_by: text(row, "created_by")?,
        created_at: instant(row, "created_at")?,
    })
}

impl Db {
    /// The versions that govern `unit`: those set on it or on a unit above it, oldest first.
    pub async fn policy_versions(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
    ) -> Result<Vec<PolicyVersion>> {
        if !scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let mut sql = Sql::new(
            "SELECT id, unit_path, effective_from, name, version, source, created_by, created_at \
             FROM policy_versions WHERE unit_id IN (",
        );
        for (i, id) in unit.path.ids().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(id.to_owned()));
        }
        sql.push(") ORDER BY effective_from, created_at");
        let mut versions: Vec<PolicyVersion> = sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(version_from_row)
            .collect::<Result<_>>()?;
        // On the same day, the version set nearest the unit wins.
        versions.sort_by(|a, b| {
            a.effective_from
                .cmp(&b.effective_from)
                .then(a.unit_path.len().cmp(&b.unit_path.len()))
        });
        Ok(versions)
    }
}

impl Write<'_> {
    /// Puts a new version in force on `unit` from `effective_from`.
    pub async fn add_policy_version(
        &mut self,
        unit: &OrgUnit,
        effective_from: Date,
        policy: &Policy,
        source: &str,
        correction: Option<&str>,
    ) -> Result<PolicyVersion> {
        if !self.scope.sees(&unit.path) {
            return Err(Error::NotFound);
        }
        let stored = PolicyVersion {
            id: PolicyVersionId::new(),
            unit_path: unit.path.to_string(),
            effective_from,
            name: policy.name.zh_tw.clone(),
            version: policy.version.clone(),
            source: source.to_owned(),
            created_by: self.scope.actor_name.clone(),
            created_at: self.now,
        };
        sqlx::query(
            "INSERT INTO policy_versions (id, unit_id, unit_path, effective_from, name, version, source, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(stored.id.to_string())
        .bind(unit.id.to_string())
        .bind(unit.path.to_string())
        .bind(format_date(effective_from))
        .bind(stored.name.clone())
        .bind(stored.version.clone())
        .bind(stored.source.clone())
        .bind(stored.created_by.clone())
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| crate::error::conflict_on_unique(e, "error.policy_date_taken"))?;
        let after = serde_json::json!({
            "correction": correction,
            "effective_from": format_date(effective_from),
            "name": stored.name,
            "version": stored.version,
            "source": stored.source,
        });
        self.audit(
            "create",
            "policy_version",
            &stored.id.to_string(),
            Some(&unit.path),
            None::<&()>,
            Some(&after),
        )
        .await?;
        Ok(stored)
    }
}
