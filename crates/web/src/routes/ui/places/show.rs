//! `GET /units/{id}/places`: places (key locations first) and equipment with its state —
//! due for its monthly check, expired or fine; shared with re-showing a refused form.

use crate::AppState;
use crate::form::{Choice, FieldErrors};
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use app::places::{EquipmentForm, PlaceForm};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::ids::OrgUnitId;
use domain::place::{EQUIPMENT_KINDS, PLACE_KINDS};
use domain::role::Permission;

pub struct PlaceLine {
    pub name: String,
    pub kind: &'static str,
    pub key: bool,
}

pub struct EquipmentLine {
    pub id: String,
    pub place: String,
    pub kind: &'static str,
    pub label: String,
    pub expires_on: String,
    pub checked_on: String,
    pub state_code: &'static str,
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "places/show.html")]
struct PlacesPage {
    c: Chrome,
    unit_id: String,
    unit_name: String,
    places: Vec<PlaceLine>,
    equipment: Vec<EquipmentLine>,
    place_kinds: Vec<Choice>,
    equipment_kinds: Vec<Choice>,
    can_change: bool,
    can_check: bool,
    p: PlaceForm,
    p_errors: FieldErrors,
    e: EquipmentForm,
    e_errors: FieldErrors,
}

/// A refused form to show again.
#[derive(Default)]
pub struct Failed {
    pub place: Option<(PlaceForm, FieldErrors)>,
    pub equipment: Option<(EquipmentForm, FieldErrors)>,
}

pub async fn render_places(
    state: &AppState,
    user: &CurrentUser,
    id: OrgUnitId,
    failed: Failed,
) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let app::places::PlacesView {
        unit,
        places,
        equipment,
    } = match app::places::of_unit(&state.app, scope, id).await {
        Ok(view) => view,
        Err(e) => return user.fail(e).into_response(),
    };
    let today = state.app.today();
    let check_days = match app::places::check_days(&state.app, scope, &unit).await {
        Ok(days) => days,
        Err(e) => return user.fail(e).into_response(),
    };
    let mut places: Vec<PlaceLine> = places
        .iter()
        .map(|p| PlaceLine {
            name: p.name.clone(),
            kind: t.s(&format!("place.kind.{}", p.kind)),
            key: p.is_key(),
        })
        .collect();
    places.sort_by_key(|p| !p.key);
    let equipment = equipment
        .iter()
        .map(|e| {
            let st = e.state(today, check_days);
            EquipmentLine {
                id: e.id.to_string(),
                place: e.place.clone(),
                kind: t.s(&format!("equipment.kind.{}", e.kind)),
                label: e.label.clone(),
                expires_on: e.expires_on.map(format_date).unwrap_or_default(),
                checked_on: e.checked_on.map(format_date).unwrap_or_default(),
                state_code: st.code(),
                state: t.s(&format!("equipment.state.{}", st.code())),
            }
        })
        .collect();
    let status = if failed.place.is_some() || failed.equipment.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (p, p_errors) = failed.place.unwrap_or_default();
    let (e, e_errors) = failed.equipment.unwrap_or_default();
    let choices = |codes: &[&str], prefix: &str, selected: &str| {
        Choice::list(
            codes.iter().map(|c| (*c, t.s(&format!("{prefix}.{c}")))),
            selected,
        )
    };
    let page = render(&PlacesPage {
        c: Chrome::new(&user.caller, t, "hazards"),
        unit_id: unit.id.to_string(),
        unit_name: unit.name.clone(),
        places,
        equipment,
        place_kinds: choices(&PLACE_KINDS, "place.kind", &p.kind),
        equipment_kinds: choices(&EQUIPMENT_KINDS, "equipment.kind", &e.kind),
        can_change: scope.can(Permission::ManageHazards, &unit.path),
        can_check: scope.can(Permission::RecordActivity, &unit.path),
        p,
        p_errors,
        e,
        e_errors,
    });
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<OrgUnitId>,
) -> Response {
    render_places(&state, &user, id, Failed::default()).await
}
