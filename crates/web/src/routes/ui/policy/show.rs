//! `GET /policy`: the versions that govern my unit, the one in force with its obligations,
//! and (for the bureau) the form that puts a new version in force.

use super::describe;
use super::fields::{applies_text, count_text, evidence_text, hours_text};
use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::role::Permission;

/// A version in the list.
pub struct VersionLine {
    pub index: usize,
    pub effective_from: String,
    pub name: String,
    pub version: String,
    pub by: String,
    pub in_force: bool,
}

/// An obligation of the version in force.
pub struct ObligationRow {
    pub id: String,
    pub title: String,
    pub rule: String,
    pub role: &'static str,
    pub evidence: String,
    pub serves: String,
    pub applies: String,
}

/// A threshold of the version shown.
pub struct ThresholdRow {
    pub id: String,
    pub title: String,
    pub condition: &'static str,
    pub group: &'static str,
    pub count: String,
    pub clock: String,
}

/// A clock of the version shown: (id, title, deadline).
pub type ClockRow = (String, String, String);

#[derive(Template)]
#[template(path = "policy/show.html")]
struct PolicyPage {
    c: Chrome,
    versions: Vec<VersionLine>,
    /// The policy-wide numbers: (label, value).
    settings: Vec<(&'static str, u16)>,
    clocks: Vec<ClockRow>,
    thresholds: Vec<ThresholdRow>,
    rows: Vec<ObligationRow>,
    can_change: bool,
    source: String,
    effective_from: String,
    correction: String,
    errors: Vec<String>,
    shown: usize,
}

#[derive(serde::Deserialize, Default)]
pub struct PolicyQuery {
    done: Option<String>,
    /// Which version to show (index in the list); the one in force by default.
    v: Option<usize>,
}

/// Renders the page; `form` is a refused upload to show again with its mistakes.
pub async fn render_policy(
    state: &AppState,
    user: &CurrentUser,
    shown: Option<usize>,
    form: Option<(String, String, String, Vec<String>)>,
    done: Option<&str>,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let Some(home) = app::status::home_unit(scope) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let unit = match app::directory::unit(&state.app, scope, home).await {
        Ok(u) => u,
        Err(e) => return user.fail(e).into_response(),
    };
    let versions = match app::policy::versions(&state.app, scope, &unit).await {
        Ok(v) => v,
        Err(e) => return user.fail(e).into_response(),
    };
    let today = state.app.today();
    let in_force = versions
        .iter()
        .rposition(|v| v.effective_from <= today)
        .unwrap_or(0);
    let shown = shown.filter(|i| *i < versions.len()).unwrap_or(in_force);
    let current = &versions[shown];
    let rows = current
        .policy
        .obligations
        .iter()
        .map(|o| ObligationRow {
            id: o.id.clone(),
            title: o.title.get(t.code()).to_owned(),
            rule: describe(t, o),
            role: t.s(&o.role.label_key()),
            evidence: evidence_text(t, o),
            serves: o.serves.join(" "),
            applies: applies_text(t, o),
        })
        .collect();
    let lines = versions
        .iter()
        .enumerate()
        .map(|(index, v)| VersionLine {
            index,
            effective_from: if v.stored.is_none() {
                t.s("policy.shipped").to_owned()
            } else {
                format_date(v.effective_from)
            },
            name: v.policy.name.get(t.code()).to_owned(),
            version: v.policy.version.clone(),
            by: v
                .stored
                .as_ref()
                .map_or_else(String::new, |s| s.created_by.clone()),
            in_force: index == in_force,
        })
        .collect();
    let status = if form.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (source, effective_from, correction, errors) = form.unwrap_or_else(|| {
        (
            current.source.clone(),
            format_date(today),
            String::new(),
            Vec::new(),
        )
    });
    let page = render(&PolicyPage {
        c: Chrome::new(&user.caller, t, "policy").with_flash(done),
        versions: lines,
        settings: current
            .policy
            .settings()
            .iter()
            .map(|(key, value)| (t.s(key), *value))
            .collect(),
        clocks: current
            .policy
            .clocks
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.title.get(t.code()).to_owned(),
                    hours_text(t, c.hours),
                )
            })
            .collect(),
        thresholds: current
            .policy
            .thresholds
            .iter()
            .map(|th| ThresholdRow {
                id: th.id.clone(),
                title: th.title.get(t.code()).to_owned(),
                condition: t.s(&th.condition.label_key()),
                group: t.s(&th.group.label_key()),
                count: count_text(t, th),
                clock: current.policy.clock(&th.clock).map_or_else(
                    || th.clock.clone(),
                    |c| format!("{} · {}", c.title.get(t.code()), hours_text(t, c.hours)),
                ),
            })
            .collect(),
        rows,
        can_change: scope.can(Permission::ManagePolicy, &unit.path),
        source,
        effective_from,
        correction,
        errors,
        shown,
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PolicyQuery>,
) -> Response {
    render_policy(&state, &user, q.v, None, q.done.as_deref()).await
}
