//! The unit page, shared by showing it and by re-showing it after a form failed, so the
//! typed values and a message per field come back (nothing typed is lost).

use crate::AppState;
use crate::i18n::Tr;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::org::{PersonForm, UnitForm};
use app::{LeadershipMember, PersonWithRoles};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ids::OrgUnitId;
use domain::org::{OrgUnit, SchoolKind, UnitKind};
use domain::role::{Permission, Role};

pub use crate::form::{Choice, FieldErrors};

/// Which form failed, with what was typed.
#[derive(Default)]
pub struct Forms {
    pub child: UnitForm,
    pub child_errors: FieldErrors,
    pub edit: Option<UnitForm>,
    pub edit_errors: FieldErrors,
    pub person: PersonForm,
    pub person_errors: FieldErrors,
    pub leader_person: String,
    pub leader_position: String,
    pub leader_duty: String,
    pub leader_errors: FieldErrors,
    pub general_error: Option<&'static str>,
}

/// A person on the unit page.
pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub roles: String,
    pub username: String,
}

#[derive(Template)]
#[template(path = "org/unit.html")]
struct UnitPage {
    c: Chrome,
    unit: OrgUnit,
    kind_label: &'static str,
    school_kind_label: &'static str,
    breadcrumbs: Vec<OrgUnit>,
    children: Vec<(OrgUnit, &'static str)>,
    people: Vec<PersonLine>,
    leadership: Vec<LeadershipMember>,
    is_school: bool,
    is_bureau: bool,
    can_manage: bool,
    child_kinds: Vec<Choice>,
    school_kinds: Vec<Choice>,
    edit_school_kinds: Vec<Choice>,
    roles_here: Vec<Choice>,
    leader_people: Vec<Choice>,
    positions: Vec<Choice>,
    edit: UnitForm,
    f: Forms,
}

fn choices<I: IntoIterator<Item = (String, String)>>(items: I, selected: &str) -> Vec<Choice> {
    Choice::list(items, selected)
}

/// Renders the page of unit `id` with the given form state and status.
pub async fn render_unit(
    state: &AppState,
    user: &CurrentUser,
    id: OrgUnitId,
    f: Forms,
    status: StatusCode,
    done: Option<&str>,
) -> Response {
    let scope = &user.caller.scope;
    let t = user.t;
    let app::directory::UnitView {
        unit,
        ancestors: breadcrumbs,
        under,
        people,
        leadership,
    } = match app::directory::unit_view(&state.app, scope, id).await {
        Ok(view) => view,
        Err(e) => return user.fail(e).into_response(),
    };
    let can_manage = scope.can(Permission::ManageOrg, &unit.path);
    let children = under
        .iter()
        .filter(|u| u.parent_id == Some(unit.id))
        .map(|u| (u.clone(), t.s(u.kind.label_key())))
        .collect();
    let people_lines: Vec<PersonLine> = people.iter().map(|p| person_line(p, t)).collect();
    let child_kinds = choices(
        UnitKind::ALL
            .iter()
            .filter(|k| unit.kind.may_contain(**k))
            .map(|k| (k.code().to_owned(), t.s(k.label_key()).to_owned())),
        &f.child.kind,
    );
    let school_kind_items = || {
        SchoolKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), t.s(k.label_key()).to_owned()))
    };
    let edit = f.edit.clone().unwrap_or_else(|| UnitForm {
        kind: unit.kind.code().to_owned(),
        name: unit.name.clone(),
        school_kind: unit
            .school
            .map(|s| s.kind.code().to_owned())
            .unwrap_or_default(),
        boarding: unit.school.filter(|s| s.boarding).map(|_| "on".to_owned()),
        has_canteen: unit
            .school
            .filter(|s| s.has_canteen)
            .map(|_| "on".to_owned()),
        time_zone: unit.time_zone.clone().unwrap_or_default().name().to_owned(),
    });
    let roles_here = choices(
        Role::ALL
            .iter()
            .filter(|r| r.may_be_held_at(unit.kind))
            .map(|r| (r.code().to_owned(), t.s(&r.label_key()).to_owned())),
        &f.person.role,
    );
    let leader_people = choices(
        people
            .iter()
            .map(|p| (p.person.id.to_string(), p.person.name.clone())),
        &f.leader_person,
    );
    let positions = choices(
        app::org::LEADERSHIP_POSITIONS.iter().map(|p| {
            (
                (*p).to_owned(),
                t.s(&format!("org.position.{p}")).to_owned(),
            )
        }),
        if f.leader_position.is_empty() {
            "member"
        } else {
            &f.leader_position
        },
    );
    let page = UnitPage {
        c: Chrome::new(&user.caller, t, "org").with_flash(done),
        kind_label: t.s(unit.kind.label_key()),
        school_kind_label: unit.school.map_or("", |s| t.s(s.kind.label_key())),
        is_school: unit.kind == UnitKind::School,
        is_bureau: unit.kind == UnitKind::Bureau,
        breadcrumbs,
        children,
        people: people_lines,
        leadership,
        can_manage,
        child_kinds,
        school_kinds: choices(school_kind_items(), &f.child.school_kind),
        edit_school_kinds: choices(school_kind_items(), &edit.school_kind),
        roles_here,
        leader_people,
        positions,
        edit,
        unit,
        f,
    };
    (status, render(&page)).into_response()
}

/// A person's line: their roles, each with its unit.
pub fn person_line(p: &PersonWithRoles, t: Tr) -> PersonLine {
    let roles: Vec<String> = p
        .roles
        .iter()
        .map(|r| format!("{}（{}）", t.s(&r.role.label_key()), r.unit_name))
        .collect();
    PersonLine {
        id: p.person.id.to_string(),
        name: p.person.name.clone(),
        phone: p.person.phone.clone().unwrap_or_default(),
        roles: roles.join("、"),
        username: p.username.clone().unwrap_or_default(),
    }
}

/// How a failed form is shown again: its status, the messages per field, and a message
/// for the whole page; `Err` for failures that get an error page instead.
pub fn form_failure(
    error: app::Error,
    t: Tr,
) -> Result<(StatusCode, FieldErrors, Option<&'static str>), app::Error> {
    match error {
        app::Error::Invalid(invalid) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            FieldErrors::from(&invalid, t),
            None,
        )),
        app::Error::Conflict(key) => {
            Ok((StatusCode::CONFLICT, FieldErrors::default(), Some(t.s(key))))
        }
        other => Err(other),
    }
}

/// After a failed form: re-show the unit page with the form's errors, or an error page.
pub async fn after_failure(
    state: &AppState,
    user: &CurrentUser,
    id: OrgUnitId,
    error: app::Error,
    fill: impl FnOnce(&mut Forms, FieldErrors),
) -> Response {
    match form_failure(error, user.t) {
        Ok((status, errors, general_error)) => {
            let mut forms = Forms {
                general_error,
                ..Forms::default()
            };
            fill(&mut forms, errors);
            render_unit(state, user, id, forms, status, None).await
        }
        Err(other) => user.fail(other).into_response(),
    }
}
