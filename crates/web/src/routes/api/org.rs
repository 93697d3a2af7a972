//! The organisation over the API: units, people and roles, scoped like the pages.

use super::ApiResult;
use crate::AppState;
use crate::error::ApiError;
use crate::session::ApiUser;
use app::org::{PersonForm, UnitForm};
use app::{PersonWithRoles, RoleAssignment};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::ids::{OrgUnitId, PersonId};
use domain::org::OrgUnit;
use domain::person::Person;
use serde::Deserialize;

pub async fn units(State(state): State<AppState>, user: ApiUser) -> ApiResult<Vec<OrgUnit>> {
    app::directory::units(&state.app, &user.caller.scope)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}

pub async fn unit(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
) -> ApiResult<OrgUnit> {
    app::directory::unit(&state.app, &user.caller.scope, id)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}

#[derive(Deserialize)]
pub struct NewUnitBody {
    kind: String,
    name: String,
    #[serde(default)]
    school_kind: Option<String>,
    #[serde(default)]
    boarding: bool,
    #[serde(default)]
    has_canteen: bool,
}

pub async fn create_child(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Json(body): Json<NewUnitBody>,
) -> Result<(StatusCode, Json<OrgUnit>), ApiError> {
    let flag = |b: bool| b.then(|| "on".to_owned());
    let form = UnitForm {
        kind: body.kind,
        name: body.name,
        school_kind: body.school_kind.unwrap_or_default(),
        boarding: flag(body.boarding),
        has_canteen: flag(body.has_canteen),
        time_zone: String::new(),
    };
    let unit = app::org::create_unit(&state.app, &user.caller.scope, id, &form)
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(unit)))
}

pub async fn people(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
) -> ApiResult<Vec<PersonWithRoles>> {
    app::directory::people_under(&state.app, &user.caller.scope, id)
        .await
        .map(Json)
        .map_err(|e| user.fail(e))
}

#[derive(Deserialize)]
pub struct NewPersonBody {
    name: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

pub async fn create_person(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<OrgUnitId>,
    Json(body): Json<NewPersonBody>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    let form = PersonForm {
        name: body.name,
        phone: body.phone.unwrap_or_default(),
        role: body.role.unwrap_or_default(),
    };
    let person = app::org::add_person(&state.app, &user.caller.scope, id, &form)
        .await
        .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(person)))
}

#[derive(Deserialize)]
pub struct RoleBody {
    role: String,
    unit_id: OrgUnitId,
}

pub async fn assign_role(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<PersonId>,
    Json(body): Json<RoleBody>,
) -> Result<(StatusCode, Json<RoleAssignment>), ApiError> {
    let assignment =
        app::org::assign_role(&state.app, &user.caller.scope, id, &body.role, body.unit_id)
            .await
            .map_err(|e| user.fail(e))?;
    Ok((StatusCode::CREATED, Json(assignment)))
}
