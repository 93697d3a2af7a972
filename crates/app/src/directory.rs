//! Reading the organisation (R-ORG-1, R-ORG-2): units, people, their roles and logins,
//! the leadership group — each read through the caller's scope, for the pages and the API.

use crate::{App, Error, Result};
use domain::ids::{OrgUnitId, PersonId};
use domain::org::{OrgUnit, UnitKind};
use domain::person::Person;
use domain::role::Permission;
use domain::scope::Scope;
use std::collections::HashMap;
use store::{LeadershipMember, PersonWithRoles, RoleAssignment, User};

/// Every unit in the caller's sight, in tree order.
pub async fn units(app: &App, scope: &Scope) -> Result<Vec<OrgUnit>> {
    Ok(app.db.units(scope).await?)
}

/// The unit `id`, when in the caller's sight.
pub async fn unit(app: &App, scope: &Scope, id: OrgUnitId) -> Result<OrgUnit> {
    Ok(app.db.unit(scope, id).await?)
}

/// The names of the schools in the caller's sight, by id.
pub async fn school_names(app: &App, scope: &Scope) -> Result<HashMap<OrgUnitId, String>> {
    Ok(units(app, scope)
        .await?
        .into_iter()
        .filter(|u| u.kind == UnitKind::School)
        .map(|u| (u.id, u.name))
        .collect())
}

/// The people of unit `id` and the units below it, with their roles.
pub async fn people_under(app: &App, scope: &Scope, id: OrgUnitId) -> Result<Vec<PersonWithRoles>> {
    let unit = app.db.unit(scope, id).await?;
    Ok(app.db.people_under(scope, &unit).await?)
}

/// The roles a person holds, where the caller sees them.
pub async fn roles_of(app: &App, scope: &Scope, person: PersonId) -> Result<Vec<RoleAssignment>> {
    Ok(app.db.role_assignments_of(scope, person).await?)
}

/// The organisation at a glance, as the caller sees it.
pub struct Overview {
    /// How many units of each kind.
    pub counts: Vec<(UnitKind, i64)>,
    pub people: i64,
    pub units: Vec<OrgUnit>,
}

pub async fn overview(app: &App, scope: &Scope) -> Result<Overview> {
    Ok(Overview {
        counts: app.db.unit_counts(scope).await?,
        people: app.db.people_count(scope).await?,
        units: app.db.units(scope).await?,
    })
}

/// A unit's page: where it sits, what is below it, its people and (a school's) leaders.
pub struct UnitView {
    pub unit: OrgUnit,
    pub ancestors: Vec<OrgUnit>,
    /// The unit and every unit below it.
    pub under: Vec<OrgUnit>,
    pub people: Vec<PersonWithRoles>,
    pub leadership: Vec<LeadershipMember>,
}

pub async fn unit_view(app: &App, scope: &Scope, id: OrgUnitId) -> Result<UnitView> {
    let unit = app.db.unit(scope, id).await?;
    let ancestors = app.db.ancestors(scope, &unit).await?;
    let under = app.db.units_under(scope, &unit).await?;
    let people = app.db.people_under(scope, &unit).await?;
    let leadership = if unit.kind == UnitKind::School {
        app.db.leadership(scope, &unit).await?
    } else {
        Vec::new()
    };
    Ok(UnitView {
        unit,
        ancestors,
        under,
        people,
        leadership,
    })
}

/// A person's page: the person, their unit, roles and login, and the units a role may be
/// given at.
pub struct PersonView {
    pub person: Person,
    pub unit: OrgUnit,
    pub roles: Vec<RoleAssignment>,
    pub login: Option<User>,
    pub units: Vec<OrgUnit>,
}

pub async fn person_view(app: &App, scope: &Scope, id: PersonId) -> Result<PersonView> {
    let (person, unit) = crate::org::person_in_unit(app, scope, id).await?;
    let roles = app.db.role_assignments_of(scope, id).await?;
    let login = app.db.user_of_person(scope, id).await?;
    let units = app.db.units_under(scope, &unit).await?;
    Ok(PersonView {
        person,
        unit,
        roles,
        login,
        units,
    })
}

/// The logins the caller may manage; forbidden to someone who manages none.
pub async fn logins(app: &App, scope: &Scope) -> Result<Vec<User>> {
    if !scope.can_somewhere(Permission::ManageUsers) {
        return Err(Error::Forbidden);
    }
    Ok(app
        .db
        .users(&scope.narrowed_to(Permission::ManageUsers))
        .await?)
}
