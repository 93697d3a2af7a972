//! `GET /activities/{id}`: one activity record with its files.

use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use app::Attachment;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::activity::Activity;
use domain::calendar::format_date;
use domain::evidence::kind_of;
use domain::ids::ActivityId;

#[derive(Template)]
#[template(path = "activities/show.html")]
struct ShowPage {
    c: Chrome,
    a: Activity,
    kind: String,
    subtype: String,
    held_on: String,
    attachments: Vec<Attachment>,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ActivityId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = user.t;
    let view = match app::activities::show(&state.app, &user.caller.scope, id).await {
        Ok(v) => v,
        Err(e) => return user.fail(e).into_response(),
    };
    let a = view.activity;
    let kind = kind_of(&a.kind);
    render(&ShowPage {
        c: Chrome::new(&user.caller, t, "calendar").with_flash(q.done.as_deref()),
        kind: kind.map_or_else(|| a.kind.clone(), |k| t.s(&k.label_key()).to_owned()),
        subtype: match (kind, &a.subtype) {
            (Some(k), Some(s)) => t.s(&k.subtype_label_key(s)).to_owned(),
            _ => String::new(),
        },
        held_on: format_date(a.held_on),
        attachments: view.attachments,
        a,
    })
}
