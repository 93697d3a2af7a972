//! `GET /org/people/{id}`: a person, their roles and their login; the forms to change them.

use super::unit_view::{Choice, FieldErrors};
use crate::AppState;
use crate::page::{Chrome, render};
use crate::routes::ui::home::DoneQuery;
use crate::session::CurrentUser;
use app::{RoleAssignment, User};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ids::PersonId;
use domain::org::OrgUnit;
use domain::person::Person;
use domain::role::{Permission, Role};

/// What was typed into the person page's forms, with their messages.
#[derive(Default)]
pub struct PersonForms {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub edit_errors: FieldErrors,
    pub role: String,
    pub role_unit: String,
    pub role_errors: FieldErrors,
    pub username: String,
    pub login_errors: FieldErrors,
    pub general_error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "org/person.html")]
struct PersonPage {
    c: Chrome,
    person: Person,
    unit: OrgUnit,
    roles: Vec<(RoleAssignment, &'static str)>,
    login: Option<User>,
    can_manage: bool,
    can_manage_users: bool,
    role_choices: Vec<Choice>,
    unit_choices: Vec<Choice>,
    name: String,
    phone: String,
    f: PersonForms,
}

/// Renders the person page with the given form state.
pub async fn render_person(
    state: &AppState,
    user: &CurrentUser,
    id: PersonId,
    f: PersonForms,
    status: StatusCode,
    done: Option<&str>,
) -> Response {
    let scope = &user.caller.scope;
    let t = user.t;
    let app::directory::PersonView {
        person,
        unit,
        roles,
        login,
        units,
    } = match app::directory::person_view(&state.app, scope, id).await {
        Ok(view) => view,
        Err(e) => return user.fail(e).into_response(),
    };
    let role_choices = Role::ALL
        .iter()
        .filter(|r| units.iter().any(|u| r.may_be_held_at(u.kind)))
        .map(|r| Choice {
            value: r.code().to_owned(),
            label: t.s(&r.label_key()).to_owned(),
            selected: r.code() == f.role,
        })
        .collect();
    let unit_choices = units
        .iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: format!("{}（{}）", u.name, t.s(u.kind.label_key())),
            selected: u.id.to_string() == f.role_unit,
        })
        .collect();
    let page = PersonPage {
        c: Chrome::new(&user.caller, t, "org").with_flash(done),
        can_manage: scope.can(Permission::ManageOrg, &unit.path),
        can_manage_users: scope.can(Permission::ManageUsers, &unit.path),
        roles: roles
            .into_iter()
            .map(|r| {
                let label = t.s(&r.role.label_key());
                (r, label)
            })
            .collect(),
        name: f.name.clone().unwrap_or_else(|| person.name.clone()),
        phone: f
            .phone
            .clone()
            .unwrap_or_else(|| person.phone.clone().unwrap_or_default()),
        person,
        unit,
        login,
        role_choices,
        unit_choices,
        f,
    };
    (status, render(&page)).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<PersonId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    render_person(
        &state,
        &user,
        id,
        PersonForms::default(),
        StatusCode::OK,
        q.done.as_deref(),
    )
    .await
}

/// After a failed form: re-show the person page with its messages, or an error page.
pub async fn after_failure(
    state: &AppState,
    user: &CurrentUser,
    id: PersonId,
    error: app::Error,
    fill: impl FnOnce(&mut PersonForms, FieldErrors),
) -> Response {
    match super::unit_view::form_failure(error, user.t) {
        Ok((status, errors, general_error)) => {
            let mut forms = PersonForms {
                general_error,
                ..PersonForms::default()
            };
            fill(&mut forms, errors);
            render_person(state, user, id, forms, status, None).await
        }
        Err(other) => user.fail(other).into_response(),
    }
}
