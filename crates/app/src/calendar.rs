//! Keeping the school-year calendar (R-CAL-1): terms and holidays on the bureau for the
//! county, or on a school that differs. Changing needs `ManageOrg` on the unit.

use crate::{App, Result, require};
use domain::calendar::{Holiday, SchoolCalendar, Term};
use domain::ids::{HolidayId, OrgUnitId, TermId};
use domain::org::OrgUnit;
use domain::role::Permission;
use domain::scope::Scope;
use store::{StoredHoliday, StoredTerm};

/// The fields of the term form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct TermForm {
    #[serde(default)]
    pub school_year: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub mid: String,
    #[serde(default)]
    pub ends: String,
}

/// The fields of the holiday form, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct HolidayForm {
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub name: String,
}

/// A unit's own terms and holidays, and the calendar it follows.
pub struct UnitCalendar {
    pub unit: OrgUnit,
    pub own_terms: Vec<StoredTerm>,
    pub own_holidays: Vec<StoredHoliday>,
    /// The calendar in effect (its own, or the nearest unit above with terms).
    pub effective: SchoolCalendar,
    /// Whether the calendar in effect is a unit's above this one.
    pub inherited: bool,
    /// That unit, when the caller may see it.
    pub inherited_from: Option<OrgUnit>,
}

#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn of_unit(app: &App, scope: &Scope, unit_id: OrgUnitId) -> Result<UnitCalendar> {
    let unit = app.db.unit(scope, unit_id).await?;
    let own_terms = app.db.stored_terms(&unit, false).await?;
    let own_holidays = app.db.stored_holidays(&unit, false).await?;
    let book = app.db.calendar_book(scope, &unit).await?;
    let effective = book.for_school(&unit.path);
    let source = book
        .source_of(&unit.path)
        .filter(|path| *path != unit.path.as_str());
    let inherited_from = match source {
        Some(path) => app
            .db
            .ancestors(scope, &unit)
            .await?
            .into_iter()
            .find(|above| above.path.as_str() == path),
        None => None,
    };
    Ok(UnitCalendar {
        unit,
        own_terms,
        own_holidays,
        effective,
        inherited: source.is_some(),
        inherited_from,
    })
}

/// The unit, when the caller may change its calendar.
async fn managed(app: &App, scope: &Scope, unit_id: OrgUnitId) -> Result<OrgUnit> {
    let unit = app.db.unit(scope, unit_id).await?;
    require(scope, Permission::ManageOrg, &unit.path)?;
    Ok(unit)
}

#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn add_term(app: &App, scope: &Scope, unit_id: OrgUnitId, form: &TermForm) -> Result<()> {
    let unit = managed(app, scope, unit_id).await?;
    let term = Term::parse(
        &form.school_year,
        &form.number,
        &form.starts,
        &form.mid,
        &form.ends,
    )?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.add_term(&unit, &term).await?;
    write.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(unit_id = %unit_id, id = %id))]
pub async fn remove_term(app: &App, scope: &Scope, unit_id: OrgUnitId, id: TermId) -> Result<()> {
    let unit = managed(app, scope, unit_id).await?;
    let stored = app
        .db
        .stored_terms(&unit, false)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(crate::Error::NotFound)?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.remove_term(&stored).await?;
    write.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn add_holiday(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    form: &HolidayForm,
) -> Result<()> {
    let unit = managed(app, scope, unit_id).await?;
    let holiday = Holiday::parse(&form.starts, &form.ends, &form.name)?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.add_holiday(&unit, &holiday).await?;
    write.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(unit_id = %unit_id, id = %id))]
pub async fn remove_holiday(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    id: HolidayId,
) -> Result<()> {
    let unit = managed(app, scope, unit_id).await?;
    let stored = app
        .db
        .stored_holidays(&unit, false)
        .await?
        .into_iter()
        .find(|h| h.id == id)
        .ok_or(crate::Error::NotFound)?;
    let mut write = app.db.write(scope, app.now()).await?;
    write.remove_holiday(&stored).await?;
    write.commit().await?;
    Ok(())
}
