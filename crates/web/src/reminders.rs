//! The reminder run (issue 3): for every school, the engine's states; for every person with
//! a role there, the reminders due today in their own language — recorded once, shown in
//! the app, and sent by e-mail and group-robot webhook as each person chose. The server's
//! scheduler calls `run_once`; so do the tests.

use crate::i18n::{Lang, Tr};
use app::App;
use app::notify::{Notifier, WebhookKind};
use domain::calendar::format_date;
use domain::reminder::{DueReminder, ReminderKind, due_reminders};
use domain::scope::Scope;
use store::NewReminder;
use time::Duration;

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
struct Composed {
    user: store::User,
    settings: store::ReminderSettings,
    school: domain::ids::OrgUnitId,
    key: String,
    /// The obligation (or `hazard`) it is about.
    about: String,
    kind: &'static str,
    deadline: time::Date,
    title: String,
    body: String,
    link: String,
}

fn tr_for(user: &store::User) -> Tr {
    Tr::new(
        user.locale
            .as_deref()
            .map(Lang::from_accept_language)
            .unwrap_or_default(),
    )
}

fn compose(
    t: Tr,
    school: &str,
    obligation_title: &str,
    due: &DueReminder,
    link: String,
) -> (String, String) {
    let key = match due.kind {
        ReminderKind::Before => "reminders.before",
        ReminderKind::Overdue => "reminders.overdue",
    };
    let title = t.f(key, &[("title", obligation_title)]);
    let body = t.f(
        "reminders.body",
        &[
            ("school", school),
            ("title", obligation_title),
            ("deadline", &format_date(due.deadline)),
            ("link", &link),
        ],
    );
    (title, body)
}

/// The obligations due soon or overdue, for everyone with a role at a school.
async fn obligation_reminders(app: &App, base_url: &str) -> Result<Vec<Composed>, app::Error> {
    let system = Scope::system("reminders");
    let today = app.today();
    let mut composed = Vec::new();
    for (school_id, people) in app::reminders::targets(app).await? {
        let board = app::status::board(
            app,
            &system,
            school_id,
            today - Duration::days(45),
            today + Duration::days(31),
        )
        .await?;
        let Some(school) = board.schools.first() else {
            continue;
        };
        let calendar = board.calendar_of(school);
        let states = board.states(school, &calendar);
        for target in people {
            let t = tr_for(&target.user);
            for due in due_reminders(&states, &target.roles, today, target.settings.days_before) {
                let Some(state) = states.iter().find(|s| s.obligation.id == due.obligation_id)
                else {
                    continue;
                };
                let obligation_title = state.obligation.title.get(t.code());
                let link = format!("/units/{}/calendar#ob-{}", school.id, due.obligation_id);
                let (title, body) = compose(
                    t,
                    &school.name,
                    obligation_title,
                    &due,
                    format!("{base_url}{link}"),
                );
                composed.push(Composed {
                    user: target.user.clone(),
                    settings: target.settings.clone(),
                    school: school.id,
                    key: due.key(target.user.id, school.id),
                    about: due.obligation_id.clone(),
                    kind: due.kind.code(),
                    deadline: due.deadline,
                    title,
                    body,
                    link,
                });
            }
        }
    }
    Ok(composed)
}

/// Overdue hazards escalate (R-HZD-3): to the school's principal as soon as the deadline
/// passes, and to the central school when a week has gone by.
async fn hazard_escalations(app: &App, base_url: &str) -> Result<Vec<Composed>, app::Error> {
    let system = Scope::system("reminders");
    let today = app.today();
    let mut composed = Vec::new();
    for (hazard, school, user, level) in app::reminders::escalations(app, today).await? {
        let settings = app.db.reminder_settings(&system, &user).await?;
        let t = tr_for(&user);
        let link = format!("/hazards/{}", hazard.id);
        let deadline = hazard.deadline.unwrap_or(today);
        composed.push(Composed {
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
                    ("link", &format!("{base_url}{link}")),
                ],
            ),
            user,
            settings,
            school: school.id,
            about: "hazard".into(),
            kind: level.code(),
            deadline,
            link,
        });
    }
    Ok(composed)
}

/// Once a day, each bureau administrator gets the head of their county's audit chain
/// (issue 7): a copy outside the database and outside the server, which `xiaoan audit
/// verify` can be held against.
async fn audit_checkpoints(app: &App, base_url: &str) -> Result<Vec<Composed>, app::Error> {
    let today = app.today();
    let at = app.now();
    let mut composed = Vec::new();
    for r in app::audit::checkpoint_recipients(app).await? {
        let t = tr_for(&r.user);
        let link = "/admin/audit".to_owned();
        let when = app
            .local(at)
            .format(&time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]"
            ))
            .unwrap_or_default();
        composed.push(Composed {
            key: format!("{}/audit/{}/{today}", r.user.id, r.unit.id),
            title: t.f("reminders.audit_title", &[("unit", &r.unit.name)]),
            body: t.f(
                "reminders.audit_body",
                &[
                    ("at", &when),
                    ("seq", &r.head.seq.to_string()),
                    ("mac", &r.head.mac),
                    ("link", &format!("{base_url}{link}")),
                ],
            ),
            user: r.user,
            settings: r.settings,
            school: r.unit.id,
            about: "audit_checkpoint".into(),
            kind: "checkpoint",
            deadline: today,
            link,
        });
    }
    Ok(composed)
}

/// Runs once: records and sends every reminder due today. `base_url` makes the links in
/// e-mail and webhook messages absolute (`https://xiaoan.county.edu.cn`).
pub async fn run_once(
    app: &App,
    notifier: &Notifier,
    base_url: &str,
) -> Result<RunReport, app::Error> {
    let mut composed = obligation_reminders(app, base_url).await?;
    composed.extend(hazard_escalations(app, base_url).await?);
    composed.extend(audit_checkpoints(app, base_url).await?);
    let records: Vec<_> = composed
        .iter()
        .map(|c| {
            (
                &c.user,
                NewReminder {
                    key: &c.key,
                    school: c.school,
                    obligation: &c.about,
                    kind: c.kind,
                    deadline: c.deadline,
                    notification: c.settings.in_app.then_some((
                        c.title.as_str(),
                        c.body.as_str(),
                        c.link.as_str(),
                    )),
                },
            )
        })
        .collect();
    let fresh = app::reminders::record(app, &records).await?;
    let mut report = RunReport::default();
    // Sent after the record is committed: a crash in between loses a message rather than
    // sending it twice after the restart.
    for (c, is_new) in composed.iter().zip(fresh) {
        if !is_new {
            continue;
        }
        report.recorded += 1;
        let settings = &c.settings;
        if let Some(email) = &settings.email {
            match notifier.email(email, &c.title, &c.body).await {
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
            match notifier.webhook(kind, url, &c.title, &c.body).await {
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
