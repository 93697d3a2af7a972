//! `GET /admin/audit`: the audit log, filtered by what, action, who and dates, newest first.

use crate::AppState;
use crate::i18n::Tr;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::audit::AuditEntry;
use serde::Deserialize;
use store::AuditFilter;
use time::format_description::well_known::Rfc3339;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub before: String,
}

/// One entry ready to show.
pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPageView {
    c: Chrome,
    q: AuditQuery,
    lines: Vec<AuditLine>,
    next: Option<String>,
}

fn date_micros(raw: &str, days_after: i64) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw.trim(), &format).ok()?;
    let start =
        date.midnight().assume_offset(time::macros::offset!(+8)) + time::Duration::days(days_after);
    Some((start.unix_timestamp_nanos() / 1000) as i64)
}

/// The filter a query asks for (dates are local days in UTC+8).
pub fn filter_of(q: &AuditQuery) -> AuditFilter {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    AuditFilter {
        entity: some(&q.entity),
        action: some(&q.action),
        actor: some(&q.actor),
        from_micros: date_micros(&q.from, 0),
        to_micros: date_micros(&q.to, 1),
        before: store::AuditCursor::parse(q.before.trim()),
        limit: 50,
    }
}

fn line(t: Tr, e: AuditEntry) -> AuditLine {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.at_micros) * 1000)
        .map(|t| t.to_offset(time::macros::offset!(+8)))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    AuditLine {
        seq: e.seq,
        at,
        actor: e.actor_name,
        action: t.term("audit.actions", &e.action),
        entity: t.term("audit.entities", &e.entity),
        entity_id: e.entity_id,
        before: e.before.unwrap_or_default(),
        after: e.after.unwrap_or_default(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    let page = match app::audit::browse(&state.app, &user.caller.scope, &filter_of(&q)).await {
        Ok(page) => page,
        Err(e) => return user.fail(e).into_response(),
    };
    let next = page.next_before.map(|cursor| {
        serde_urlencoded::to_string([
            ("entity", q.entity.as_str()),
            ("action", q.action.as_str()),
            ("actor", q.actor.as_str()),
            ("from", q.from.as_str()),
            ("to", q.to.as_str()),
            ("before", &cursor.token()),
        ])
        .unwrap_or_default()
    });
    let lines = page.entries.into_iter().map(|e| line(user.t, e)).collect();
    render(&AuditPageView {
        c: Chrome::new(&user.caller, user.t, "audit"),
        q,
        lines,
        next,
    })
}
