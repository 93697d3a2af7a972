//! Managing the organisation (R-ORG-1, R-ORG-2, R-ORG-5): units, people, roles and the
//! leadership group. Reading needs only the scope; changing needs `ManageOrg` there.

use crate::{App, Error, Result, require};
use domain::Invalid;
use domain::error::bounded_text;
use domain::ids::{LeadershipMemberId, OrgUnitId, PersonId, RoleAssignmentId};
use domain::org::{NewUnit, OrgUnit, SchoolKind, SchoolProfile, UnitKind, parse_unit_name};
use domain::person::{Person, parse_person_name, parse_phone};
use domain::role::{Permission, Role};
use domain::scope::Scope;
use domain::zone::Zone;
use store::{LeadershipMember, RoleAssignment};

/// The fields of the unit form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct UnitForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub school_kind: String,
    #[serde(default)]
    pub boarding: Option<String>,
    #[serde(default)]
    pub has_canteen: Option<String>,
    /// A bureau's IANA time zone (`Asia/Shanghai`).
    #[serde(default)]
    pub time_zone: String,
}

fn checked(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| matches!(v, "on" | "true" | "1"))
}

/// Creates a unit under `parent_id`.
#[tracing::instrument(skip_all, fields(parent_id = %parent_id))]
pub async fn create_unit(
    app: &App,
    scope: &Scope,
    parent_id: OrgUnitId,
    form: &UnitForm,
) -> Result<OrgUnit> {
    let parent = app.db.unit(scope, parent_id).await?;
    require(scope, Permission::ManageOrg, &parent.path)?;
    let school_kind = (!form.school_kind.is_empty()).then_some(form.school_kind.as_str());
    let new = NewUnit::parse(
        parent.kind,
        &form.kind,
        &form.name,
        school_kind,
        checked(&form.boarding),
        checked(&form.has_canteen),
    )?;
    let mut write = app.db.write(scope, app.now()).await?;
    let unit = write.create_unit(&parent, &new).await?;
    write.commit().await?;
    Ok(unit)
}

/// Renames a unit; for a school, also sets its kind, boarding and canteen.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update_unit(
    app: &App,
    scope: &Scope,
    id: OrgUnitId,
    form: &UnitForm,
) -> Result<OrgUnit> {
    let unit = app.db.unit(scope, id).await?;
    require(scope, Permission::ManageOrg, &unit.path)?;
    let mut errors = Invalid::default();
    let name = errors.take(parse_unit_name(&form.name));
    let school = if unit.kind == UnitKind::School {
        match SchoolKind::parse(&form.school_kind) {
            Some(kind) => Some(SchoolProfile {
                kind,
                boarding: checked(&form.boarding),
                has_canteen: checked(&form.has_canteen),
            }),
            None => {
                errors.push("school_kind", "error.choose_one");
                None
            }
        }
    } else {
        None
    };
    let time_zone = if unit.kind == UnitKind::Bureau {
        errors.take(Zone::parse(&form.time_zone))
    } else {
        None
    };
    errors.into_result()?;
    let mut write = app.db.write(scope, app.now()).await?;
    let unit = write
        .update_unit(&unit, &name.unwrap_or_default(), school, time_zone)
        .await?;
    write.commit().await?;
    if unit.kind == UnitKind::Bureau && unit.parent_id.is_none() {
        app.set_zone(unit.time_zone.clone().unwrap_or_default());
    }
    Ok(unit)
}

/// Deletes an empty unit. The root cannot be deleted.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn delete_unit(app: &App, scope: &Scope, id: OrgUnitId) -> Result<OrgUnit> {
    let unit = app.db.unit(scope, id).await?;
    let parent_path = app
        .db
        .ancestors(scope, &unit)
        .await?
        .last()
        .map(|p| p.path.clone());
    let Some(parent_path) = parent_path else {
        return Err(Error::Forbidden);
    };
    require(scope, Permission::ManageOrg, &parent_path)?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.delete_unit(&unit).await?;
    write.commit().await?;
    Ok(unit)
}

/// The fields of the person form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct PersonForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// A role to give at the same unit (optional).
    #[serde(default)]
    pub role: String,
}

fn parse_person_form(
    form: &PersonForm,
    unit: &OrgUnit,
) -> Result<(String, Option<String>, Option<Role>)> {
    let mut errors = Invalid::default();
    let name = errors.take(parse_person_name(&form.name));
    let phone = errors.take(parse_phone(&form.phone));
    let role = if form.role.is_empty() {
        None
    } else {
        match Role::parse(&form.role) {
            Some(role) if role.may_be_held_at(unit.kind) => Some(role),
            Some(_) => {
                errors.push("role", "error.role_not_at_level");
                None
            }
            None => {
                errors.push("role", "error.choose_one");
                None
            }
        }
    };
    errors.into_result()?;
    Ok((name.unwrap_or_default(), phone.flatten(), role))
}

/// Adds a person to a unit, optionally with a role there.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn add_person(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    form: &PersonForm,
) -> Result<Person> {
    let unit = app.db.unit(scope, unit_id).await?;
    require(scope, Permission::ManageOrg, &unit.path)?;
    let (name, phone, role) = parse_person_form(form, &unit)?;
    let mut write = app.db.write(scope, app.now()).await?;
    let person = write.create_person(&unit, &name, phone.as_deref()).await?;
    if let Some(role) = role {
        write.assign_role(&person, role, &unit).await?;
    }
    write.commit().await?;
    Ok(person)
}

/// A person with the unit they belong to.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn person_in_unit(app: &App, scope: &Scope, id: PersonId) -> Result<(Person, OrgUnit)> {
    let person = app.db.person(scope, id).await?;
    let unit = app.db.unit(scope, person.unit_id).await?;
    Ok((person, unit))
}

/// Changes a person's name and phone.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update_person(
    app: &App,
    scope: &Scope,
    id: PersonId,
    form: &PersonForm,
) -> Result<Person> {
    let (person, unit) = person_in_unit(app, scope, id).await?;
    require(scope, Permission::ManageOrg, &unit.path)?;
    let (name, phone, _) = parse_person_form(
        &PersonForm {
            role: String::new(),
            ..form.clone()
        },
        &unit,
    )?;
    let mut write = app.db.write(scope, app.now()).await?;
    let person = write
        .update_person(&unit, &person, &name, phone.as_deref())
        .await?;
    write.commit().await?;
    Ok(person)
}

/// Gives a person a role at a unit inside the caller's reach.
#[tracing::instrument(skip_all, fields(person_id = %person_id, unit_id = %unit_id))]
pub async fn assign_role(
    app: &App,
    scope: &Scope,
    person_id: PersonId,
    role: &str,
    unit_id: OrgUnitId,
) -> Result<RoleAssignment> {
    let Some(role) = Role::parse(role) else {
        return Err(Invalid::one("role", "error.choose_one").into());
    };
    let person = app.db.person(scope, person_id).await?;
    let unit = app.db.unit(scope, unit_id).await?;
    require(scope, Permission::ManageOrg, &unit.path)?;
    if !role.may_be_held_at(unit.kind) {
        return Err(Invalid::one("role", "error.role_not_at_level").into());
    }
    let mut write = app.db.write(scope, app.now()).await?;
    let assignment = write.assign_role(&person, role, &unit).await?;
    write.commit().await?;
    Ok(assignment)
}

/// Takes a role away from a person.
#[tracing::instrument(skip_all, fields(person_id = %person_id, id = %id))]
pub async fn remove_role(
    app: &App,
    scope: &Scope,
    person_id: PersonId,
    id: RoleAssignmentId,
) -> Result<RoleAssignment> {
    let assignments = app.db.role_assignments_of(scope, person_id).await?;
    let assignment = assignments
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(Error::NotFound)?;
    require(scope, Permission::ManageOrg, &assignment.unit_path)?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.remove_role(&assignment).await?;
    write.commit().await?;
    Ok(assignment)
}

/// The positions in a leadership group.
pub const LEADERSHIP_POSITIONS: [&str; 3] = ["leader", "deputy", "member"];

/// Adds a person of the school to its leadership group (R-ORG-5).
#[tracing::instrument(skip_all, fields(school_id = %school_id, person_id = %person_id))]
pub async fn add_leader(
    app: &App,
    scope: &Scope,
    school_id: OrgUnitId,
    person_id: PersonId,
    position: &str,
    duty: &str,
) -> Result<LeadershipMember> {
    let school = app.db.unit(scope, school_id).await?;
    if school.kind != UnitKind::School {
        return Err(Error::NotFound);
    }
    require(scope, Permission::ManageOrg, &school.path)?;
    let mut errors = Invalid::default();
    if !LEADERSHIP_POSITIONS.contains(&position) {
        errors.push("position", "error.choose_one");
    }
    let duty = if duty.trim().is_empty() {
        None
    } else {
        errors.take(bounded_text("duty", duty, 200))
    };
    let person = match app.db.person(scope, person_id).await {
        Ok(person) => Some(person),
        Err(store::Error::NotFound) => {
            errors.push("person", "error.choose_one");
            None
        }
        Err(e) => return Err(e.into()),
    };
    errors.into_result()?;
    let Some(person) = person else {
        return Err(Error::NotFound);
    };
    let person_unit = app.db.unit(scope, person.unit_id).await?;
    if !school.path.contains(&person_unit.path) {
        return Err(Invalid::one("person", "error.person_not_in_school").into());
    }
    let mut write = app.db.write(scope, app.now()).await?;
    let member = write
        .add_leadership_member(&school, &person, position, duty.as_deref())
        .await?;
    write.commit().await?;
    Ok(member)
}

/// Removes a member from a school's leadership group.
#[tracing::instrument(skip_all, fields(school_id = %school_id, id = %id))]
pub async fn remove_leader(
    app: &App,
    scope: &Scope,
    school_id: OrgUnitId,
    id: LeadershipMemberId,
) -> Result<()> {
    let school = app.db.unit(scope, school_id).await?;
    require(scope, Permission::ManageOrg, &school.path)?;
    let members = app.db.leadership(scope, &school).await?;
    let member = members
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(Error::NotFound)?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.remove_leadership_member(&member).await?;
    write.commit().await?;
    Ok(())
}
