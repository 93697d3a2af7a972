//! `GET /admin/audit`: the audit log, filtered by what, action, who and dates, newest first.

use crate::AppState;
use crate::i18n::Tr;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::AuditFilter;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::audit::AuditEntry;
use domain::zone::Zone;
use serde::Deserialize;
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

fn date_micros(raw: &str, days_after: i64, zone: &Zone) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw.trim(), &format).ok()? + time::Duration::days(days_after);
    Some((zone.start_of(date).unix_timestamp_nanos() / 1000) as i64)
}

/// The filter a query asks for (dates are local days in the county's time zone).
pub fn filter_of(q: &AuditQuery, zone: &Zone) -> AuditFilter {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    AuditFilter {
        entity: some(&q.entity),
        action: some(&q.action),
        actor: some(&q.actor),
        from_micros: date_micros(&q.from, 0, zone),
        to_micros: date_micros(&q.to, 1, zone),
        before: app::AuditCursor::parse(q.before.trim()),
        limit: 50,
    }
}

fn line(t: Tr, e: AuditEntry, zone: &Zone) -> AuditLine {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.at_micros) * 1000)
        .map(|t| zone.local(t))
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
    let page = match app::audit::browse(
        &state.app,
        &user.caller.scope,
        &filter_of(&q, &state.app.zone()),
    )
    .await
    {
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
    let zone = state.app.zone();
    let lines = page
        .entries
        .into_iter()
        .map(|e| line(user.t, e, &zone))
        .collect();
    render(&AuditPageView {
        c: Chrome::new(&user.caller, user.t, "audit"),
        q,
        lines,
        next,
    })
}
