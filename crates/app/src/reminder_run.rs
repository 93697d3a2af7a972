//! The reminder run (issue 3, issue 8): for every person, the work their inbox holds
//! (`crate::inbox`, the projection the home page and `/api/v1/me/work` read too) that falls
//! due within their chosen days or is overdue; overdue hazards escalated to those above;
//! the audit checkpoint for bureau administrators. Each is recorded once, shown in the app,
//! and sent by e-mail and group robot as the person chose — in the person's own language,
//! with a short label for the link. The server's scheduler calls `run_once`; so do tests.

use crate::auth::Caller;
use crate::inbox::{Step, WorkItem};
use crate::notify::{Notifier, WebhookKind};
use crate::words::tr_for;
use crate::{App, Result};
use domain::calendar::format_date;
use domain::ids::OrgUnitId;
use domain::reminder::{ReminderKind, reminder_key};
use domain::scope::Scope;
use i18n::Tr;
use store::{NewReminder, ReminderSettings, User};

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// New reminders recorded (each shown in the app when the person wants that).
    pub recorded: usize,
    pub emails: usize,
    pub webhooks: usize,
    pub failures: usize,
}

/// A reminder in words, with who gets it.
struct Message {
    user: User,
    settings: ReminderSettings,
    school: OrgUnitId,
    key: String,
    /// What it is about: the obligation, or the kind of work (`hazard`, `confirm_report`…).
    about: String,
    kind: &'static str,
    deadline: time::Date,
    title: String,
    body: String,
    /// The page it leads to, relative to the server (`/hazards/…`).
    link: String,
    /// The link's short label (`Open the hazard`).
    label: &'static str,
}

impl Message {
    /// The e-mail text: the body, then a short label line and the link on its own line.
    fn email_text(&self, base_url: &str) -> String {
        format!("{}\n\n{}\n{base_url}{}", self.body, self.label, self.link)
    }

    /// The robot's Markdown: the body, then the link under its label.
    fn markdown(&self, base_url: &str) -> String {
        format!("{}\n\n[{}]({base_url}{})", self.body, self.label, self.link)
    }
}

/// The short label of the page a step leads to.
fn link_label(t: Tr, step: &Step) -> &'static str {
    t.s(match step {
        Step::Obligation { .. } => "reminders.link.calendar",
        Step::AssignHazard(_) | Step::RectifyHazard(_) | Step::VerifyHazard(_) => {
            "reminders.link.hazard"
        }
        Step::ConfirmReport { .. } => "reminders.link.report",
        Step::CheckEquipment { .. } => "reminders.link.places",
    })
}

/// The work in `user`'s inbox worth a reminder today.
async fn inbox_reminders(
    app: &App,
    user: User,
    settings: ReminderSettings,
    schools: &[domain::org::OrgUnit],
) -> Result<Vec<Message>> {
    let scope = crate::auth::scope_of(app, &user).await?;
    let caller = Caller {
        user,
        scope,
        csrf_token: None,
    };
    let inbox = crate::inbox::inbox(app, &caller).await?;
    let today = app.today();
    let t = tr_for(&caller.user);
    let mut messages = Vec::new();
    for item in &inbox.items {
        let WorkItem {
            step,
            school_id,
            status,
            deadline,
            href,
            ..
        } = item;
        let Some(kind) = ReminderKind::due(*status, *deadline, today, settings.days_before) else {
            continue;
        };
        let school = schools
            .iter()
            .find(|s| s.id == *school_id)
            .map_or("", |s| s.name.as_str());
        let title = step.title(t);
        let deadline = deadline.unwrap_or(today);
        let about = match step {
            Step::Obligation { id, .. } => id.clone(),
            other => other.code().to_owned(),
        };
        messages.push(Message {
            key: reminder_key(caller.user.id, *school_id, &step.subject(), kind),
            title: t.f(
                match kind {
                    ReminderKind::Before => "reminders.before",
                    ReminderKind::Overdue => "reminders.overdue",
                },
                &[("title", &title)],
            ),
            body: t.f(
                "reminders.body",
                &[
                    ("school", school),
                    ("title", &title),
                    ("deadline", &format_date(deadline)),
                ],
            ),
            label: link_label(t, step),
            link: href.clone(),
            user: caller.user.clone(),
            settings: settings.clone(),
            school: *school_id,
            about,
            kind: kind.code(),
            deadline,
        });
    }
    Ok(messages)
}

/// Everyone's work worth a reminder: every active account's inbox.
async fn work_reminders(app: &App) -> Result<Vec<Message>> {
    let system = Scope::system("reminders");
    let schools = app.db.units(&system).await?;
    let mut messages = Vec::new();
    for user in app.db.users(&system).await? {
        if user.disabled {
            continue;
        }
        let settings = app.db.reminder_settings(&system, &user).await?;
        messages.extend(inbox_reminders(app, user, settings, &schools).await?);
    }
    Ok(messages)
}

/// Overdue hazards escalate (R-HZD-3): to the school's principal as soon as the deadline
/// passes, and to the central school when the policy's days have gone by.
async fn hazard_escalations(app: &App) -> Result<Vec<Message>> {
    let system = Scope::system("reminders");
    let today = app.today();
    let mut messages = Vec::new();
    for (hazard, school, user, level) in crate::reminders::escalations(app, today).await? {
        let settings = app.db.reminder_settings(&system, &user).await?;
        let t = tr_for(&user);
        let deadline = hazard.deadline.unwrap_or(today);
        messages.push(Message {
            key: format!("{}/hazard/{}/{}", user.id, hazard.id, level.code()),
            title: t.f(
                "reminders.hazard_overdue",
                &[("school", &school.name), ("place", &hazard.place)],
            ),
            body: t.f(
                "reminders.hazard_body",
                &[
                    ("description", &hazard.description),
                    ("deadline", &format_date(deadline)),
                    (
                        "responsible",
                        hazard.responsible_name.as_deref().unwrap_or("—"),
                    ),
                ],
            ),
            label: t.s("reminders.link.hazard"),
            link: format!("/hazards/{}", hazard.id),
            user,
            settings,
            school: school.id,
            about: "hazard".into(),
            kind: level.code(),
            deadline,
        });
    }
    Ok(messages)
}

/// Once a day, each bureau administrator gets the head of their county's audit chain
/// (issue 7): a copy outside the database and outside the server, which `xiaoan audit
/// verify` can be held against.
async fn audit_checkpoints(app: &App) -> Result<Vec<Message>> {
    let today = app.today();
    let when = app
        .local(app.now())
        .format(&time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]"
        ))
        .unwrap_or_default();
    let mut messages = Vec::new();
    for r in crate::audit::checkpoint_recipients(app).await? {
        let t = tr_for(&r.user);
        messages.push(Message {
            key: format!("{}/audit/{}/{today}", r.user.id, r.unit.id),
            title: t.f("reminders.audit_title", &[("unit", &r.unit.name)]),
            body: t.f(
                "reminders.audit_body",
                &[
                    ("at", &when),
                    ("seq", &r.head.seq.to_string()),
                    ("mac", &r.head.mac),
                ],
            ),
            label: t.s("reminders.link.audit"),
            link: "/admin/audit".to_owned(),
            user: r.user,
            settings: r.settings,
            school: r.unit.id,
            about: "audit_checkpoint".into(),
            kind: "checkpoint",
            deadline: today,
        });
    }
    Ok(messages)
}

/// Runs once: records and sends every reminder due today. `base_url` makes the links in
/// e-mail and robot messages absolute (`https://xiaoan.county.edu.cn`).
pub async fn run_once(app: &App, notifier: &Notifier, base_url: &str) -> Result<RunReport> {
    let mut messages = work_reminders(app).await?;
    messages.extend(hazard_escalations(app).await?);
    messages.extend(audit_checkpoints(app).await?);
    let records: Vec<_> = messages
        .iter()
        .map(|m| {
            (
                &m.user,
                NewReminder {
                    key: &m.key,
                    school: m.school,
                    obligation: &m.about,
                    kind: m.kind,
                    deadline: m.deadline,
                    notification: m.settings.in_app.then_some((
                        m.title.as_str(),
                        m.body.as_str(),
                        m.link.as_str(),
                    )),
                },
            )
        })
        .collect();
    let fresh = crate::reminders::record(app, &records).await?;
    let mut report = RunReport::default();
    // Sent after the record is committed: a crash in between loses a message rather than
    // sending it twice after the restart.
    for (m, is_new) in messages.iter().zip(fresh) {
        if !is_new {
            continue;
        }
        report.recorded += 1;
        let settings = &m.settings;
        if let Some(email) = &settings.email {
            match notifier
                .email(email, &m.title, &m.email_text(base_url))
                .await
            {
                Ok(()) => report.emails += 1,
                Err(e) => {
                    report.failures += 1;
                    tracing::warn!(error = %e, to = %email, "reminder e-mail not sent");
                }
            }
        }
        if let (Some(kind), Some(url)) = (
            settings
                .webhook_kind
                .as_deref()
                .and_then(WebhookKind::parse),
            &settings.webhook_url,
        ) {
            match notifier
                .webhook(kind, url, &m.title, &m.markdown(base_url))
                .await
            {
                Ok(()) => report.webhooks += 1,
                Err(e) => {
                    report.failures += 1;
                    tracing::warn!(error = %e, "reminder webhook not sent");
                }
            }
        }
    }
    Ok(report)
}
