//! Reminders (issue 3): each person's choice of channels, the notifications shown on their
//! home page, which overdue hazards escalate to whom, and recording reminders once (the
//! run itself is `crate::reminder_run`).

use crate::auth::Caller;
use crate::notify::WebhookKind;
use crate::{App, Result};
use domain::Invalid;
use domain::role::Role;
use domain::scope::Scope;
use store::{NewReminder, Notification, ReminderSettings, User};

/// The fields of the settings form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub in_app: Option<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub webhook_kind: String,
    #[serde(default)]
    pub webhook_url: String,
    #[serde(default)]
    pub days_before: String,
}

impl SettingsForm {
    pub fn from_settings(s: &ReminderSettings) -> Self {
        Self {
            in_app: s.in_app.then(|| "on".to_owned()),
            email: s.email.clone().unwrap_or_default(),
            webhook_kind: s.webhook_kind.clone().unwrap_or_default(),
            webhook_url: s.webhook_url.clone().unwrap_or_default(),
            days_before: s.days_before.to_string(),
        }
    }

    pub fn parse(&self) -> Result<ReminderSettings, Invalid> {
        let mut errors = Invalid::default();
        let email = self.email.trim();
        let email = if email.is_empty() {
            None
        } else if email.len() <= 100
            && email.parse::<lettre::message::Mailbox>().is_ok()
            && email.contains('@')
        {
            Some(email.to_owned())
        } else {
            errors.push("email", "error.email");
            None
        };
        let kind = self.webhook_kind.trim();
        let url = self.webhook_url.trim();
        let (webhook_kind, webhook_url) = match (kind, url) {
            ("", "") => (None, None),
            (kind, url) => {
                if WebhookKind::parse(kind).is_none() {
                    errors.push("webhook_kind", "error.choose_one");
                }
                if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 500 {
                    errors.push("webhook_url", "error.webhook_url");
                }
                (Some(kind.to_owned()), Some(url.to_owned()))
            }
        };
        let days_before = match self.days_before.trim().parse::<u16>() {
            Ok(d) if d <= 30 => d,
            _ => {
                errors.push("days_before", "error.days_before");
                3
            }
        };
        errors.into_result()?;
        Ok(ReminderSettings {
            in_app: self
                .in_app
                .as_deref()
                .is_some_and(|v| matches!(v, "on" | "true" | "1")),
            email,
            webhook_kind,
            webhook_url,
            days_before,
        })
    }
}

#[tracing::instrument(skip_all)]
pub async fn settings(app: &App, caller: &Caller) -> Result<ReminderSettings> {
    Ok(app
        .db
        .reminder_settings(&caller.scope, &caller.user)
        .await?)
}

/// Saves the caller's reminder settings; a robot address must be one the server may reach
/// (`outbound`): https, outside this machine and the private networks.
#[tracing::instrument(skip_all)]
pub async fn save_settings(app: &App, caller: &Caller, form: &SettingsForm) -> Result<()> {
    let settings = form.parse()?;
    if let Some(url) = &settings.webhook_url
        && let Err(refusal) = app.outbound.check(url).await
    {
        return Err(Invalid::one("webhook_url", refusal).into());
    }
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.set_reminder_settings(&caller.user, &settings).await?;
    write.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn notifications(app: &App, caller: &Caller) -> Result<Vec<Notification>> {
    Ok(app
        .db
        .notifications(&caller.scope, &caller.user, 10)
        .await?)
}

#[tracing::instrument(skip_all)]
pub async fn mark_read(app: &App, caller: &Caller) -> Result<()> {
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.mark_notifications_read(&caller.user).await?;
    write.commit().await?;
    Ok(())
}

/// Records reminders in one audited change; returns for each whether it is new (to send).
#[tracing::instrument(skip_all)]
pub async fn record(app: &App, reminders: &[(&User, NewReminder<'_>)]) -> Result<Vec<bool>> {
    if reminders.is_empty() {
        return Ok(Vec::new());
    }
    let system = Scope::system("reminders");
    let mut write = app.db.write(&system, app.now()).await?;
    let mut fresh = Vec::with_capacity(reminders.len());
    for (user, reminder) in reminders {
        fresh.push(write.record_reminder(user, reminder).await?);
    }
    let count = fresh.iter().filter(|f| **f).count();
    if count == 0 {
        // Nothing new: the transaction is dropped, nothing to audit.
        return Ok(fresh);
    }
    write
        .audit(
            "remind",
            "reminders",
            &app.today().to_string(),
            None,
            None::<&()>,
            Some(&serde_json::json!({ "new": count })),
        )
        .await?;
    write.commit().await?;
    Ok(fresh)
}

/// How far an overdue hazard has escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// Past its deadline: the school's principal hears of it.
    School,
    /// A week past its deadline: the central school hears of it.
    Central,
}

impl Escalation {
    pub fn code(self) -> &'static str {
        match self {
            Escalation::School => "escalate_school",
            Escalation::Central => "escalate_central",
        }
    }
}

/// Every overdue hazard with who should hear of it, and at which level.
#[tracing::instrument(skip_all)]
pub async fn escalations(
    app: &App,
    today: time::Date,
) -> Result<
    Vec<(
        domain::hazard::Hazard,
        domain::org::OrgUnit,
        User,
        Escalation,
    )>,
> {
    let system = Scope::system("reminders");
    let units = app.db.units(&system).await?;
    let mut overdue = Vec::new();
    // Every county (a top unit), each with its own policy's escalation days.
    for root in units.iter().filter(|u| u.parent_id.is_none()) {
        let escalate_after = crate::policy::history(app, &system, root)
            .await?
            .in_force(today)
            .map_or(domain::policy::HazardDays::default().escalate_after, |p| {
                p.hazard_days.escalate_after
            });
        let filter = store::HazardFilter {
            overdue_on: Some(today),
            limit: 10_000,
            ..store::HazardFilter::default()
        };
        for hazard in app.db.hazards(&system, root, &filter).await? {
            overdue.push((hazard, escalate_after));
        }
    }
    let mut out = Vec::new();
    for (hazard, escalate_after) in overdue {
        let Some(school) = units.iter().find(|u| u.id == hazard.school_id) else {
            continue;
        };
        let mut levels = vec![(
            Escalation::School,
            vec![Role::Principal],
            vec![school.id.to_string()],
        )];
        if hazard
            .deadline
            .is_some_and(|d| today - d > time::Duration::days(i64::from(escalate_after)))
        {
            let above: Vec<String> = school
                .path
                .split('/')
                .filter(|s| !s.is_empty() && *s != school.id.to_string())
                .map(str::to_owned)
                .collect();
            levels.push((
                Escalation::Central,
                vec![Role::CentralAdmin, Role::CentralStaff],
                above,
            ));
        }
        for (level, roles, unit_ids) in levels {
            let ids: Vec<&str> = unit_ids.iter().map(String::as_str).collect();
            for user in app.db.users_holding(&system, &roles, &ids).await? {
                out.push((hazard.clone(), school.clone(), user, level));
            }
        }
    }
    Ok(out)
}
