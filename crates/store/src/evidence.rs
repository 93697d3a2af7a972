//! The evidence projection (R-POL-2): one row per record that may satisfy obligations,
//! written by each module in the same transaction as its record, read by the engine for
//! one school or a whole county in one query.

use crate::sql::{Arg, Sql, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::{format_date, parse_date};
use domain::evidence::Evidence;
use domain::ids::OrgUnitId;
use domain::org::OrgUnit;
use domain::scope::Scope;
use time::Date;

impl Db {
    /// Evidence of the schools under `unit` dated from `from` to `to`, with each school's id.
    pub async fn evidence_under(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        from: Date,
        to: Date,
    ) -> Result<Vec<(OrgUnitId, Evidence)>> {
        let mut sql = Sql::new(
            "SELECT school_id, kind, subtype, on_date, about, record, title FROM evidence WHERE on_date >= ",
        );
        sql.bind(Arg::Text(format_date(from)))
            .push(" AND on_date <= ")
            .bind(Arg::Text(format_date(to)))
            .and_under("school_path", &unit.path)
            .and_in_scope(scope, "school_path");
        let rows = sql.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let raw = text(row, "on_date")?;
                Ok((
                    parsed(row, "school_id")?,
                    Evidence {
                        kind: text(row, "kind")?,
                        subtype: opt_text(row, "subtype")?,
                        on: parse_date(&raw)
                            .ok_or_else(|| Error::Corrupt(format!("on_date={raw}")))?,
                        about: opt_text(row, "about")?.as_deref().and_then(parse_date),
                        record: text(row, "record")?,
                        title: text(row, "title")?,
                    },
                ))
            })
            .collect()
    }
}

impl Write<'_> {
    /// Records (or replaces) the evidence a record of `school` gives.
    pub(crate) async fn put_evidence(
        &mut self,
        school: &OrgUnit,
        evidence: &Evidence,
    ) -> Result<()> {
        sqlx::query("DELETE FROM evidence WHERE record = $1")
            .bind(evidence.record.clone())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "INSERT INTO evidence (record, school_id, school_path, kind, subtype, on_date, about, title) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(evidence.record.clone())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(evidence.kind.clone())
        .bind(evidence.subtype.clone())
        .bind(format_date(evidence.on))
        .bind(evidence.about.map(format_date))
        .bind(evidence.title.clone())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
