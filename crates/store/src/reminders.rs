//! Reminders (issue 3): each person's channels, the reminders already sent — one row per
//! person, school, obligation, period and kind, so a restart never sends one twice — and the
//! in-app notifications.

use crate::sql::{Arg, Sql, flag, int, opt_text, text};
use crate::users::User;
use crate::{Db, Error, Result, Write};
use domain::calendar::format_date;
use domain::ids::OrgUnitId;
use domain::scope::Scope;
use serde::Serialize;
use time::Date;

/// How a person wants to be reminded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderSettings {
    pub in_app: bool,
    pub email: Option<String>,
    /// `dingtalk` or `wecom`: the group-robot message format.
    pub webhook_kind: Option<String>,
    pub webhook_url: Option<String>,
    /// How many days before a deadline the reminder comes.
    pub days_before: u16,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            in_app: true,
            email: None,
            webhook_kind: None,
            webhook_url: None,
            days_before: 3,
        }
    }
}

/// An in-app notification.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub read: bool,
}

/// A reminder to record.
#[derive(Debug, Clone)]
pub struct NewReminder<'a> {
    pub key: &'a str,
    pub school: OrgUnitId,
    pub obligation: &'a str,
    pub kind: &'a str,
    pub deadline: Date,
    /// The in-app notification, when the person wants one: title, body, link.
    pub notification: Option<(&'a str, &'a str, &'a str)>,
}

fn own(scope: &Scope, user: &User) -> Result<()> {
    if scope.is_system() || scope.user_id == Some(user.id) || scope.sees(&user.unit_path) {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

impl Db {
    pub async fn reminder_settings(&self, scope: &Scope, user: &User) -> Result<ReminderSettings> {
        own(scope, user)?;
        let row = sqlx::query(
            "SELECT in_app, email, webhook_kind, webhook_url, days_before FROM reminder_settings WHERE user_id = $1",
        )
        .bind(user.id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(ReminderSettings::default());
        };
        Ok(ReminderSettings {
            in_app: flag(&row, "in_app")?,
            email: opt_text(&row, "email")?,
            webhook_kind: opt_text(&row, "webhook_kind")?,
            webhook_url: opt_text(&row, "webhook_url")?,
            days_before: {
                let days = int(&row, "days_before")?;
                u16::try_from(days).map_err(|_| Error::Corrupt(format!("days_before={days}")))?
            },
        })
    }

    /// The latest notifications of `user`, unread first.
    pub async fn notifications(
        &self,
        scope: &Scope,
        user: &User,
        limit: i64,
    ) -> Result<Vec<Notification>> {
        own(scope, user)?;
        let mut sql =
            Sql::new("SELECT id, title, body, link, read_at FROM notifications WHERE user_id = ");
        sql.bind(Arg::Text(user.id.to_string()))
            .push(" ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC LIMIT ")
            .bind(Arg::Int(limit));
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(Notification {
                    id: text(row, "id")?,
                    title: text(row, "title")?,
                    body: text(row, "body")?,
                    link: text(row, "link")?,
                    read: crate::sql::opt_int(row, "read_at")?.is_some(),
                })
            })
            .collect()
    }
}

impl Write<'_> {
    pub async fn set_reminder_settings(
        &mut self,
        user: &User,
        settings: &ReminderSettings,
    ) -> Result<()> {
        own(self.scope, user)?;
        sqlx::query("DELETE FROM reminder_settings WHERE user_id = $1")
            .bind(user.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "INSERT INTO reminder_settings (user_id, unit_path, in_app, email, webhook_kind, webhook_url, days_before, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(user.id.to_string())
        .bind(user.unit_path.clone())
        .bind(i64::from(settings.in_app))
        .bind(settings.email.clone())
        .bind(settings.webhook_kind.clone())
        .bind(settings.webhook_url.clone())
        .bind(i64::from(settings.days_before))
        .bind(crate::sql::micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        self.audit(
            "update",
            "reminder_settings",
            &user.id.to_string(),
            Some(&user.unit_path),
            None::<&()>,
            Some(settings),
        )
        .await
    }

    /// Records a reminder for `user`; false when it was recorded before (nothing to send).
    pub async fn record_reminder(
        &mut self,
        user: &User,
        reminder: &NewReminder<'_>,
    ) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO reminders_sent (key, user_id, school_id, obligation, kind, deadline, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING",
        )
        .bind(reminder.key.to_owned())
        .bind(user.id.to_string())
        .bind(reminder.school.to_string())
        .bind(reminder.obligation.to_owned())
        .bind(reminder.kind.to_owned())
        .bind(format_date(reminder.deadline))
        .bind(crate::sql::micros(self.now))
        .execute(&mut *self.tx)
        .await?
        .rows_affected()
            > 0;
        if let (true, Some((title, body, link))) = (inserted, reminder.notification) {
            self.notify(user, title, body, link).await?;
        }
        Ok(inserted)
    }

    /// Puts a notification on `user`'s home page (audited with the change that causes it).
    pub async fn notify(&mut self, user: &User, title: &str, body: &str, link: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, unit_path, title, body, link, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(user.id.to_string())
        .bind(user.unit_path.clone())
        .bind(title.to_owned())
        .bind(body.to_owned())
        .bind(link.to_owned())
        .bind(crate::sql::micros(self.now))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Marks every notification of `user` read.
    pub async fn mark_notifications_read(&mut self, user: &User) -> Result<()> {
        own(self.scope, user)?;
        let changed = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
        )
        .bind(crate::sql::micros(self.now))
        .bind(user.id.to_string())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        self.audit(
            "read",
            "notifications",
            &user.id.to_string(),
            Some(&user.unit_path),
            None::<&()>,
            Some(&serde_json::json!({ "marked_read": changed })),
        )
        .await
    }
}
