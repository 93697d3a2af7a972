//! `GET /policy/compare?a=&b=`: two versions side by side, obligation by obligation and
//! number by number — added, removed, changed or the same.

use super::{describe, evidence_text};
use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::policy::Obligation;

/// One obligation in both versions.
pub struct DiffRow {
    pub id: String,
    pub title: String,
    /// `added`, `removed`, `changed` or `same`.
    pub change: &'static str,
    pub change_label: &'static str,
    pub left: String,
    pub right: String,
}

#[derive(Template)]
#[template(path = "policy/compare.html")]
struct ComparePage {
    c: Chrome,
    left_label: String,
    right_label: String,
    rows: Vec<DiffRow>,
}

#[derive(serde::Deserialize)]
pub struct CompareQuery {
    a: usize,
    b: usize,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CompareQuery>,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let Some(home) = app::status::home_unit(scope) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let versions = match state.app.db.unit(scope, home).await {
        Ok(unit) => app::policy::versions(&state.app, scope, &unit).await,
        Err(e) => Err(e.into()),
    };
    let versions = match versions {
        Ok(v) => v,
        Err(e) => return user.fail(e).into_response(),
    };
    let (Some(left), Some(right)) = (versions.get(q.a), versions.get(q.b)) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let text = |o: &Obligation| {
        format!(
            "{} · {} · {}",
            describe(t, o),
            t.s(&o.role.label_key()),
            evidence_text(t, o)
        )
    };
    let mut rows = Vec::new();
    for o in &right.policy.obligations {
        let row = match left.policy.obligation(&o.id) {
            None => ("added", String::new()),
            Some(old) if old == o => ("same", text(old)),
            Some(old) => ("changed", text(old)),
        };
        rows.push(DiffRow {
            id: o.id.clone(),
            title: o.title.get(t.code()).to_owned(),
            change: row.0,
            change_label: t.s(&format!("policy.change.{}", row.0)),
            left: row.1,
            right: text(o),
        });
    }
    for o in &left.policy.obligations {
        if right.policy.obligation(&o.id).is_none() {
            rows.push(DiffRow {
                id: o.id.clone(),
                title: o.title.get(t.code()).to_owned(),
                change: "removed",
                change_label: t.s("policy.change.removed"),
                left: text(o),
                right: String::new(),
            });
        }
    }
    // The policy-wide numbers, each a row of its own.
    for ((key, old), (_, new)) in left
        .policy
        .settings()
        .into_iter()
        .zip(right.policy.settings())
    {
        let change = if old == new { "same" } else { "changed" };
        rows.push(DiffRow {
            id: key.trim_start_matches("policy.setting.").to_owned(),
            title: t.s(key).to_owned(),
            change,
            change_label: t.s(&format!("policy.change.{change}")),
            left: old.to_string(),
            right: new.to_string(),
        });
    }
    // Differences first.
    rows.sort_by_key(|r| r.change == "same");
    let label = |v: &app::policy::ListedVersion| {
        let from = if v.stored.is_none() {
            t.s("policy.shipped").to_owned()
        } else {
            format_date(v.effective_from)
        };
        format!("{} {} ({from})", v.policy.name, v.policy.version)
    };
    render(&ComparePage {
        c: Chrome::new(&user.caller, t, "policy"),
        left_label: label(left),
        right_label: label(right),
        rows,
    })
}
