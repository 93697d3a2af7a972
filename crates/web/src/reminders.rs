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

/// A reminder in words.
struct Composed {
    key: String,
    obligation: String,
    kind: ReminderKind,
    deadline: time::Date,
    title: String,
    body: String,
    link: String,
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

/// Runs once: records and sends every reminder due today. `base_url` makes the links in
/// e-mail and webhook messages absolute (`https://xiaoan.county.edu.cn`).
pub async fn run_once(
    app: &App,
    notifier: &Notifier,
    base_url: &str,
) -> Result<RunReport, app::Error> {
    let system = Scope::system("reminders");
    let today = app.today();
    let mut composed: Vec<(usize, usize, Composed)> = Vec::new();
    let targets = app::reminders::targets(app).await?;
    let schools: Vec<_> = targets.iter().collect();
    for (school_index, (school_id, people)) in schools.iter().enumerate() {
        let board = app::status::board(
            app,
            &system,
            **school_id,
            today - Duration::days(45),
            today + Duration::days(31),
        )
        .await?;
        let Some(school) = board.schools.first() else {
            continue;
        };
        let calendar = board.calendar_of(school);
        let states = board.states(school, &calendar);
        for (person_index, target) in people.iter().enumerate() {
            let t = Tr::new(
                target
                    .user
                    .locale
                    .as_deref()
                    .map(Lang::from_accept_language)
                    .unwrap_or_default(),
            );
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
                composed.push((
                    school_index,
                    person_index,
                    Composed {
                        key: due.key(target.user.id, school.id),
                        obligation: due.obligation_id.clone(),
                        kind: due.kind,
                        deadline: due.deadline,
                        title,
                        body,
                        link,
                    },
                ));
            }
        }
    }
    let records: Vec<_> = composed
        .iter()
        .map(|(s, p, c)| {
            let target = &schools[*s].1[*p];
            (
                &target.user,
                NewReminder {
                    key: &c.key,
                    school: *schools[*s].0,
                    obligation: &c.obligation,
                    kind: c.kind.code(),
                    deadline: c.deadline,
                    notification: target.settings.in_app.then_some((
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
    for ((s, p, c), is_new) in composed.iter().zip(fresh) {
        if !is_new {
            continue;
        }
        report.recorded += 1;
        let settings = &schools[*s].1[*p].settings;
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
