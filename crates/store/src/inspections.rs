//! Inspections and their answers; saving one also records it as evidence for the policy
//! engine (R-HZD-1, R-POL-2).

use crate::sql::{Arg, Sql, int, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::calendar::{format_date, parse_date};
use domain::evidence::AsEvidence;
use domain::ids::InspectionId;
use domain::inspection::{Answer, Inspection, ItemAnswer};
use domain::org::OrgUnit;
use domain::scope::Scope;
use sqlx::any::AnyRow;
use time::Date;

const COLUMNS: &str = "id, school_id, school_path, template_code, template_version, evidence_kind, \
     evidence_subtype, title, place, inspected_on, inspector, score, max_score, failed";

fn inspection_from_row(row: &AnyRow) -> Result<Inspection> {
    let raw = text(row, "inspected_on")?;
    Ok(Inspection {
        id: parsed(row, "id")?,
        school_id: parsed(row, "school_id")?,
        school_path: text(row, "school_path")?,
        template_code: text(row, "template_code")?,
        template_version: int(row, "template_version")? as u32,
        evidence_kind: text(row, "evidence_kind")?,
        evidence_subtype: opt_text(row, "evidence_subtype")?,
        title: text(row, "title")?,
        place: text(row, "place")?,
        inspected_on: parse_date(&raw)
            .ok_or_else(|| Error::Corrupt(format!("inspected_on={raw}")))?,
        inspector: text(row, "inspector")?,
        score: int(row, "score")? as u32,
        max_score: int(row, "max_score")? as u32,
        failed: int(row, "failed")? as u32,
    })
}

impl Db {
    /// The inspections of the schools under `unit` from `from` to `to`, newest first.
    pub async fn inspections(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        from: Date,
        to: Date,
    ) -> Result<Vec<Inspection>> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM inspections WHERE inspected_on >= "
        ));
        sql.bind(Arg::Text(format_date(from)))
            .push(" AND inspected_on <= ")
            .bind(Arg::Text(format_date(to)))
            .and_under("school_path", &unit.path)
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY inspected_on DESC, created_at DESC");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(inspection_from_row)
            .collect()
    }

    pub async fn inspection(&self, scope: &Scope, id: InspectionId) -> Result<Inspection> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM inspections WHERE id = "));
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "school_path");
        let row = sql.query().fetch_optional(&self.pool).await?;
        inspection_from_row(&row.ok_or(Error::NotFound)?)
    }

    pub async fn inspection_answers(
        &self,
        scope: &Scope,
        inspection: &Inspection,
    ) -> Result<Vec<ItemAnswer>> {
        if !scope.sees(&inspection.school_path) {
            return Err(Error::NotFound);
        }
        sqlx::query("SELECT item_id, answer, value, failed, note FROM inspection_answers WHERE inspection_id = $1")
            .bind(inspection.id.to_string())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let code = text(row, "answer")?;
                let answer = match code.as_str() {
                    "pass" => Answer::Pass,
                    "fail" => Answer::Fail,
                    "na" => Answer::NotApplicable,
                    "number" => {
                        let raw = opt_text(row, "value")?.unwrap_or_default();
                        Answer::Number(
                            raw.parse()
                                .map_err(|_| Error::Corrupt(format!("number answer={raw}")))?,
                        )
                    }
                    "text" => Answer::Text(opt_text(row, "value")?.unwrap_or_default()),
                    other => return Err(Error::Corrupt(format!("answer={other}"))),
                };
                Ok(ItemAnswer {
                    item_id: text(row, "item_id")?,
                    answer,
                    failed: int(row, "failed")? != 0,
                    note: opt_text(row, "note")?,
                })
            })
            .collect()
    }
}

impl Write<'_> {
    /// Saves an inspection of `school` with its answers, and records it as evidence.
    pub async fn add_inspection(
        &mut self,
        school: &OrgUnit,
        inspection: &Inspection,
        answers: &[ItemAnswer],
    ) -> Result<()> {
        if !self.scope.sees(&school.path) || inspection.school_path != school.path {
            return Err(Error::NotFound);
        }
        // Safe: the text is a constant of this file; every value is bound.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO inspections ({COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        )))
        .bind(inspection.id.to_string())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(inspection.template_code.clone())
        .bind(i64::from(inspection.template_version))
        .bind(inspection.evidence_kind.clone())
        .bind(inspection.evidence_subtype.clone())
        .bind(inspection.title.clone())
        .bind(inspection.place.clone())
        .bind(format_date(inspection.inspected_on))
        .bind(inspection.inspector.clone())
        .bind(i64::from(inspection.score))
        .bind(i64::from(inspection.max_score))
        .bind(i64::from(inspection.failed))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        for a in answers {
            // Numbers are kept as text: one portable form for both databases.
            let value = match &a.answer {
                Answer::Number(v) => Some(v.to_string()),
                Answer::Text(t) => Some(t.clone()),
                _ => None,
            };
            sqlx::query(
                "INSERT INTO inspection_answers (inspection_id, item_id, answer, value, failed, note) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(inspection.id.to_string())
            .bind(a.item_id.clone())
            .bind(a.answer.code().to_owned())
            .bind(value)
            .bind(i64::from(a.failed))
            .bind(a.note.clone())
            .execute(&mut *self.tx)
            .await?;
        }
        self.put_evidence(school, &inspection.evidence()).await?;
        let after = serde_json::json!({ "inspection": inspection, "answers": answers });
        self.audit(
            "create",
            "inspection",
            &inspection.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(&after),
        )
        .await
    }
}
