//! The home page of each role: who I am, my units and roles, the organisation at a glance.
//! and each role's work: what I must do, or which schools are behind.

use super::work::my_work::{WorkSection, my_work};
use crate::AppState;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::org::{OrgUnit, UnitKind};
use serde::Deserialize;

/// A role I hold, ready to show.
pub struct RoleLine {
    pub role: &'static str,
    pub unit_name: String,
    pub unit_id: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    roles: Vec<RoleLine>,
    counts: Vec<(&'static str, i64)>,
    people: i64,
    schools: Vec<OrgUnit>,
    work: Option<WorkSection>,
    notifications: Vec<app::Notification>,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// `GET /`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    let scope = &user.caller.scope;
    let result = tokio::try_join!(
        app::directory::roles_of(&state.app, scope, user.caller.user.person_id),
        app::directory::overview(&state.app, scope),
    );
    let (assignments, overview) = match result {
        Ok(r) => r,
        Err(e) => return user.fail(e).into_response(),
    };
    let app::directory::Overview {
        counts,
        people,
        units,
    } = overview;
    let work = match my_work(&state, &user.caller, user.t).await {
        Ok(work) => work,
        Err(e) => return user.fail(e).into_response(),
    };
    let notifications = match app::reminders::notifications(&state.app, &user.caller).await {
        Ok(list) => list.into_iter().filter(|n| !n.read).collect(),
        Err(e) => return user.fail(e).into_response(),
    };
    let t = user.t;
    let roles = assignments
        .iter()
        .map(|a| RoleLine {
            role: t.s(&a.role.label_key()),
            unit_name: a.unit_name.clone(),
            unit_id: a.unit_id.to_string(),
        })
        .collect();
    let counts = UnitKind::ALL
        .iter()
        .filter_map(|k| {
            counts
                .iter()
                .find(|(kind, _)| kind == k)
                .map(|(kind, n)| (t.s(kind.label_key()), *n))
        })
        .collect();
    let schools = units
        .into_iter()
        .filter(|u| u.kind == UnitKind::School)
        .collect();
    let c = Chrome::new(&user.caller, t, "home").with_flash(q.done.as_deref());
    render(&HomePage {
        c,
        roles,
        counts,
        people,
        schools,
        work,
        notifications,
    })
}
