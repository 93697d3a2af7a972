//! The checklist library in effect at a unit (issue 4): the shipped one, the county's from
//! its bureau, a school's own; publishing needs `ManagePolicy` at the bureau or
//! `ManageHazards` at the school.

use crate::auth::Caller;
use crate::{App, Error, Result};
use domain::checklist::{Template, merged, parse_library};
use domain::ids::OrgUnitId;
use domain::org::{OrgUnit, UnitKind};
use domain::role::Permission;
use domain::scope::Scope;

/// Every template in effect at `unit`.
#[tracing::instrument(skip_all)]
pub async fn library_for(app: &App, scope: &Scope, unit: &OrgUnit) -> Result<Vec<Template>> {
    let mut layers = Vec::new();
    for published in app.db.checklist_libraries(scope, unit).await? {
        // A published library was valid when published; skip one a newer release refuses.
        match parse_library(&published.source) {
            Ok(layer) => layers.push(layer),
            Err(e) => {
                tracing::error!(error = %e, unit = %published.unit_path, "published checklist library no longer parses")
            }
        }
    }
    Ok(merged(&layers))
}

/// One template in effect at `unit`.
#[tracing::instrument(skip_all)]
pub async fn template_for(
    app: &App,
    scope: &Scope,
    unit: &OrgUnit,
    code: &str,
) -> Result<Template> {
    library_for(app, scope, unit)
        .await?
        .into_iter()
        .find(|t| t.code == code.trim())
        .ok_or(Error::NotFound)
}

/// Why a library was refused.
#[derive(Debug)]
pub enum Refused {
    /// The document is wrong; the parser's message says where.
    Document(String),
    Other(Error),
}

impl<E: Into<Error>> From<E> for Refused {
    fn from(e: E) -> Self {
        Refused::Other(e.into())
    }
}

/// Whether the caller may publish a library at the unit (the county's at a bureau needs
/// the policy permission, a school's own the hazard permission).
async fn may_publish_at(app: &App, scope: &Scope, unit_id: OrgUnitId) -> Result<OrgUnit> {
    let unit = app.db.unit(scope, unit_id).await?;
    if publishes_at(scope, &unit) {
        Ok(unit)
    } else {
        Err(Error::Forbidden)
    }
}

/// Whether the scope may publish a library at `unit`: `ManageHazards` at a school,
/// `ManagePolicy` above.
fn publishes_at(scope: &Scope, unit: &OrgUnit) -> bool {
    match unit.kind {
        UnitKind::School => scope.can(Permission::ManageHazards, &unit.path),
        _ => scope.can(Permission::ManagePolicy, &unit.path),
    }
}

/// Whether the caller may publish at `unit_id` — asked before the file is received.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn may_publish(app: &App, caller: &Caller, unit_id: OrgUnitId) -> Result<()> {
    may_publish_at(app, &caller.scope, unit_id).await.map(drop)
}

/// Publishes a library at `unit_id`: the county's at a bureau, a school's own at a school.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn publish(
    app: &App,
    caller: &Caller,
    unit_id: OrgUnitId,
    source: &str,
) -> Result<Vec<Template>, Refused> {
    let scope = &caller.scope;
    let unit = may_publish_at(app, scope, unit_id).await?;
    let templates = parse_library(source).map_err(Refused::Document)?;
    let codes: Vec<String> = templates.iter().map(|t| t.code.clone()).collect();
    let mut write = app.db.write(scope, app.now()).await?;
    write.publish_checklists(&unit, source, &codes).await?;
    write.commit().await?;
    Ok(templates)
}

/// A unit's checklist page: the templates in effect, the libraries published along its
/// path, and whether the caller may publish one here.
pub struct LibrariesView {
    pub unit: OrgUnit,
    pub library: Vec<Template>,
    pub published: Vec<store::PublishedLibrary>,
    pub may_publish: bool,
}

pub async fn libraries(app: &App, scope: &Scope, id: OrgUnitId) -> Result<LibrariesView> {
    let unit = app.db.unit(scope, id).await?;
    let (library, published) = tokio::join!(
        library_for(app, scope, &unit),
        app.db.checklist_libraries(scope, &unit)
    );
    let may_publish = publishes_at(scope, &unit);
    Ok(LibrariesView {
        library: library?,
        published: published?,
        may_publish,
        unit,
    })
}
