//! Activity records and their attachments; saving one also records it as evidence for the
//! policy engine (R-MTG-1, R-EDU-1..4, R-EXT-1, R-PAC-1, R-POL-2).

use crate::sql::{Arg, Sql, int, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::activity::Activity;
use domain::calendar::{format_date, parse_date};
use domain::evidence::AsEvidence;
use domain::ids::{ActivityId, AttachmentId};
use domain::org::OrgUnit;
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;
use time::Date;

/// A file kept with an activity; its bytes live in the blob store under `sha256`.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    /// The record it belongs to: `activities/<id>`, `hazards/<id>/…`.
    pub owner: String,
    pub school_path: String,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

const ACTIVITY_COLUMNS: &str = "id, school_id, school_path, kind, subtype, held_on, title, place, \
     participants, content, decisions, follow_ups, recorded_by";

fn activity_from_row(row: &AnyRow) -> Result<Activity> {
    let raw = text(row, "held_on")?;
    Ok(Activity {
        id: parsed(row, "id")?,
        school_id: parsed(row, "school_id")?,
        school_path: text(row, "school_path")?,
        kind: text(row, "kind")?,
        subtype: opt_text(row, "subtype")?,
        held_on: parse_date(&raw).ok_or_else(|| Error::Corrupt(format!("held_on={raw}")))?,
        title: text(row, "title")?,
        place: opt_text(row, "place")?,
        participants: opt_text(row, "participants")?,
        content: opt_text(row, "content")?,
        decisions: opt_text(row, "decisions")?,
        follow_ups: opt_text(row, "follow_ups")?,
        recorded_by: text(row, "recorded_by")?,
    })
}

fn attachment_from_row(row: &AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        id: parsed(row, "id")?,
        owner: text(row, "owner")?,
        school_path: text(row, "school_path")?,
        sha256: text(row, "sha256")?,
        file_name: text(row, "file_name")?,
        content_type: text(row, "content_type")?,
        size: int(row, "size")?,
    })
}

impl Db {
    /// The activities of the schools under `unit` from `from` to `to`, newest first.
    pub async fn activities(
        &self,
        scope: &Scope,
        unit: &OrgUnit,
        from: Date,
        to: Date,
    ) -> Result<Vec<Activity>> {
        let mut sql = Sql::new(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities WHERE held_on >= "
        ));
        sql.bind(Arg::Text(format_date(from)))
            .push(" AND held_on <= ")
            .bind(Arg::Text(format_date(to)))
            .and_under("school_path", &unit.path)
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY held_on DESC, created_at DESC");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(activity_from_row)
            .collect()
    }

    pub async fn activity(&self, scope: &Scope, id: ActivityId) -> Result<Activity> {
        let mut sql = Sql::new(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities WHERE id = "
        ));
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "school_path");
        let row = sql.query().fetch_optional(&self.pool).await?;
        activity_from_row(&row.ok_or(Error::NotFound)?)
    }

    /// The files kept with a record (`owner`, as `activities/<id>`).
    pub async fn attachments(&self, scope: &Scope, owner: &str) -> Result<Vec<Attachment>> {
        let mut sql = Sql::new(
            "SELECT id, owner, school_path, sha256, file_name, content_type, size \
             FROM attachments WHERE owner = ",
        );
        sql.bind(Arg::Text(owner.to_owned()))
            .and_in_scope(scope, "school_path")
            .push(" ORDER BY created_at, file_name");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(attachment_from_row)
            .collect()
    }

    pub async fn attachment(&self, scope: &Scope, id: AttachmentId) -> Result<Attachment> {
        let mut sql = Sql::new(
            "SELECT id, owner, school_path, sha256, file_name, content_type, size \
             FROM attachments WHERE id = ",
        );
        sql.bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "school_path");
        let row = sql.query().fetch_optional(&self.pool).await?;
        attachment_from_row(&row.ok_or(Error::NotFound)?)
    }
}

/// An attachment to save with an activity: its stored blob and what it is.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

impl Write<'_> {
    /// Keeps files with the record `owner` of `school` (audited with the record itself).
    pub async fn add_attachments(
        &mut self,
        owner: &str,
        school: &OrgUnit,
        attachments: &[NewAttachment],
    ) -> Result<Vec<Attachment>> {
        let mut saved = Vec::new();
        for a in attachments {
            let attachment = Attachment {
                id: AttachmentId::new(),
                owner: owner.to_owned(),
                school_path: school.path.to_string(),
                sha256: a.sha256.clone(),
                file_name: a.file_name.clone(),
                content_type: a.content_type.clone(),
                size: a.size,
            };
            sqlx::query(
                "INSERT INTO attachments (id, owner, school_path, sha256, file_name, content_type, size, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(attachment.id.to_string())
            .bind(owner.to_owned())
            .bind(school.path.to_string())
            .bind(attachment.sha256.clone())
            .bind(attachment.file_name.clone())
            .bind(attachment.content_type.clone())
            .bind(attachment.size)
            .bind(micros(self.now))
            .execute(&mut *self.tx)
            .await?;
            saved.push(attachment);
        }
        Ok(saved)
    }

    /// Saves an activity of `school` with its attachments, and records it as evidence.
    pub async fn add_activity(
        &mut self,
        school: &OrgUnit,
        activity: &Activity,
        attachments: &[NewAttachment],
    ) -> Result<Vec<Attachment>> {
        if !self.scope.sees(&school.path) || activity.school_path != school.path {
            return Err(Error::NotFound);
        }
        sqlx::query(
            "INSERT INTO activities (id, school_id, school_path, kind, subtype, held_on, title, place, \
             participants, content, decisions, follow_ups, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(activity.id.to_string())
        .bind(school.id.to_string())
        .bind(school.path.to_string())
        .bind(activity.kind.clone())
        .bind(activity.subtype.clone())
        .bind(format_date(activity.held_on))
        .bind(activity.title.clone())
        .bind(activity.place.clone())
        .bind(activity.participants.clone())
        .bind(activity.content.clone())
        .bind(activity.decisions.clone())
        .bind(activity.follow_ups.clone())
        .bind(activity.recorded_by.clone())
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        let saved = self
            .add_attachments(&format!("activities/{}", activity.id), school, attachments)
            .await?;
        self.put_evidence(school, &activity.evidence()).await?;
        let after = serde_json::json!({ "activity": activity, "attachments": saved });
        self.audit(
            "create",
            "activity",
            &activity.id.to_string(),
            Some(&school.path),
            None::<&()>,
            Some(&after),
        )
        .await?;
        Ok(saved)
    }
}
