//! Keeping a school's places and equipment (R-HZD-5, R-SEC-1): changed by those who manage
//! hazards; the monthly equipment check by anyone recording at the school.

use crate::auth::Caller;
use crate::{App, Result, require};
use domain::Invalid;
use domain::calendar::parse_date;
use domain::error::bounded_text;
use domain::ids::{EquipmentId, OrgUnitId, PlaceId};
use domain::org::OrgUnit;
use domain::place::{EQUIPMENT_KINDS, Equipment, Place};
use domain::role::Permission;

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct PlaceForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct EquipmentForm {
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub serviced_on: String,
    #[serde(default)]
    pub expires_on: String,
}

async fn school(
    app: &App,
    caller: &Caller,
    id: OrgUnitId,
    permission: Permission,
) -> Result<OrgUnit> {
    crate::school_for(app, &caller.scope, id, permission).await
}

/// Days between checks of safety equipment at `school`, from the policy in force today.
#[tracing::instrument(skip_all)]
pub async fn check_days(app: &App, scope: &domain::scope::Scope, school: &OrgUnit) -> Result<u16> {
    let history = crate::policy::history(app, scope, school).await?;
    Ok(history
        .in_force(app.today())
        .map_or(domain::policy::DEFAULT_EQUIPMENT_CHECK_DAYS, |p| {
            p.equipment_check_days
        }))
}

#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn add_place(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    form: &PlaceForm,
) -> Result<Place> {
    let school = school(app, caller, school_id, Permission::ManageHazards).await?;
    let (name, kind) = Place::parse(&form.name, &form.kind)?;
    let place = Place {
        id: PlaceId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        name,
        kind,
    };
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.add_place(&school, &place).await?;
    write.commit().await?;
    Ok(place)
}

#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn add_equipment(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    form: &EquipmentForm,
) -> Result<Equipment> {
    let school = school(app, caller, school_id, Permission::ManageHazards).await?;
    let mut errors = Invalid::default();
    let place = errors.take(bounded_text("place", &form.place, 60));
    let label = errors.take(bounded_text("label", &form.label, 60));
    if !EQUIPMENT_KINDS.contains(&form.kind.trim()) {
        errors.push("kind", "error.choose_one");
    }
    let date = |raw: &str, field: &'static str, errors: &mut Invalid| {
        if raw.trim().is_empty() {
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            errors.push(field, "error.date");
        }
        parsed
    };
    let serviced_on = date(&form.serviced_on, "serviced_on", &mut errors);
    let expires_on = date(&form.expires_on, "expires_on", &mut errors);
    if let (Some(serviced), Some(expires)) = (serviced_on, expires_on)
        && expires < serviced
    {
        errors.push("expires_on", "error.expires_before_service");
    }
    errors.into_result()?;
    let item = Equipment {
        id: EquipmentId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        place: place.unwrap_or_default(),
        kind: form.kind.trim().to_owned(),
        label: label.unwrap_or_default(),
        serviced_on,
        expires_on,
        checked_on: None,
    };
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.add_equipment(&school, &item).await?;
    write.commit().await?;
    Ok(item)
}

/// Records today's check of a piece of equipment.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn check(app: &App, caller: &Caller, id: EquipmentId) -> Result<Equipment> {
    let item = app.db.equipment_item(&caller.scope, id).await?;
    require(&caller.scope, Permission::RecordActivity, &item.school_path)?;
    let today = app.today();
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.check_equipment(&item, today).await?;
    write.commit().await?;
    Ok(Equipment {
        checked_on: Some(today),
        ..item
    })
}

/// The places and equipment of the schools under a unit.
pub struct PlacesView {
    pub unit: OrgUnit,
    pub places: Vec<Place>,
    pub equipment: Vec<Equipment>,
}

pub async fn of_unit(app: &App, scope: &domain::scope::Scope, id: OrgUnitId) -> Result<PlacesView> {
    let unit = app.db.unit(scope, id).await?;
    let (places, equipment) =
        tokio::join!(app.db.places(scope, &unit), app.db.equipment(scope, &unit));
    Ok(PlacesView {
        unit,
        places: places?,
        equipment: equipment?,
    })
}
