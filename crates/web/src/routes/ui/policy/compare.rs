//! `GET /policy/compare?a=&b=`: two versions side by side, every value of every section —
//! the name, the numbers, the clocks, the thresholds and each field of each obligation —
//! added, removed, changed (with each changed value) or the same.

use super::fields::{Field, Item, items};
use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;

/// One item in both versions.
pub struct DiffRow {
    pub id: String,
    pub section: &'static str,
    pub title: String,
    /// `added`, `removed`, `changed` or `same`.
    pub change: &'static str,
    pub change_label: &'static str,
    /// The values shown: for a changed item, only those that changed.
    pub left: Vec<Field>,
    pub right: Vec<Field>,
}

#[derive(Template)]
#[template(path = "policy/compare.html")]
struct ComparePage {
    c: Chrome,
    left_label: String,
    right_label: String,
    rows: Vec<DiffRow>,
    /// "3 changes".
    changes: String,
}

#[derive(serde::Deserialize)]
pub struct CompareQuery {
    a: usize,
    b: usize,
}

/// Every item of both versions with what changed, differences first.
pub fn diff(left: Vec<Item>, right: Vec<Item>) -> Vec<DiffRow> {
    let row = |item: &Item, change: &'static str, left: Vec<Field>, right: Vec<Field>| DiffRow {
        id: item.id.clone(),
        section: item.section,
        title: item.title.clone(),
        change,
        change_label: "",
        left,
        right,
    };
    let mut rows = Vec::new();
    for new in &right {
        let same_item = |old: &&Item| old.section == new.section && old.id == new.id;
        rows.push(match left.iter().find(same_item) {
            None => row(new, "added", Vec::new(), new.fields.clone()),
            Some(old) => {
                // Fields are listed in the same order for every item of a section.
                let changed: Vec<(Field, Field)> = old
                    .fields
                    .iter()
                    .zip(&new.fields)
                    .filter(|(a, b)| a.1 != b.1)
                    .map(|(a, b)| (a.clone(), b.clone()))
                    .collect();
                if changed.is_empty() {
                    row(new, "same", old.fields.clone(), new.fields.clone())
                } else {
                    let (l, r) = changed.into_iter().unzip();
                    row(new, "changed", l, r)
                }
            }
        });
    }
    for old in &left {
        if !right
            .iter()
            .any(|new| new.section == old.section && new.id == old.id)
        {
            rows.push(row(old, "removed", old.fields.clone(), Vec::new()));
        }
    }
    // Differences first; the order of the sections kept within each.
    rows.sort_by_key(|r| r.change == "same");
    rows
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
    let versions = match app::directory::unit(&state.app, scope, home).await {
        Ok(unit) => app::policy::versions(&state.app, scope, &unit).await,
        Err(e) => Err(e),
    };
    let versions = match versions {
        Ok(v) => v,
        Err(e) => return user.fail(e).into_response(),
    };
    let (Some(left), Some(right)) = (versions.get(q.a), versions.get(q.b)) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let mut rows = diff(items(t, &left.policy), items(t, &right.policy));
    for r in &mut rows {
        r.change_label = t.s(&format!("policy.change.{}", r.change));
    }
    let label = |v: &app::policy::ListedVersion| {
        let from = if v.stored.is_none() {
            t.s("policy.shipped").to_owned()
        } else {
            format_date(v.effective_from)
        };
        format!(
            "{} {} ({from})",
            v.policy.name.get(t.code()),
            v.policy.version
        )
    };
    render(&ComparePage {
        c: Chrome::new(&user.caller, t, "policy"),
        left_label: label(left),
        right_label: label(right),
        changes: t.f(
            "policy.changes",
            &[(
                "n",
                &rows
                    .iter()
                    .filter(|r| r.change != "same")
                    .count()
                    .to_string(),
            )],
        ),
        rows,
    })
}
