//! The policy in force (R-POL-1): the versions a bureau put in force, or the shipped
//! default when it has none; putting a new version in force needs `ManagePolicy`.

use crate::{App, Error, Result, require};
use domain::calendar::parse_date;
use domain::engine::PolicyHistory;
use domain::ids::{OrgUnitId, PolicyVersionId};
use domain::org::OrgUnit;
use domain::policy::draft::{Draft, FieldError};
use domain::policy::{DEFAULT_SOURCE, Policy, PolicyError};
use domain::role::Permission;
use domain::scope::Scope;
use store::PolicyVersion;
use time::Date;

/// The day the shipped default counts as in force from.
pub const DEFAULT_EFFECTIVE: Date = time::macros::date!(2000 - 01 - 01);

/// Parsed stored versions by id: a version never changes once saved, so each is parsed once.
#[derive(Default)]
pub struct ParsedVersions(std::sync::Mutex<std::collections::HashMap<PolicyVersionId, Policy>>);

impl ParsedVersions {
    fn get_or_parse(&self, stored: &PolicyVersion) -> Result<Policy, Vec<PolicyError>> {
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(policy) = cache.get(&stored.id) {
            return Ok(policy.clone());
        }
        let policy = domain::policy::parse(&stored.source)?;
        cache.insert(stored.id, policy.clone());
        Ok(policy)
    }
}

/// A version as listed: stored, or the shipped default.
pub struct ListedVersion {
    pub stored: Option<PolicyVersion>,
    pub effective_from: Date,
    pub policy: Policy,
    pub source: String,
}

/// Every version that governs `unit`, oldest first; the shipped default comes first.
#[tracing::instrument(skip_all)]
pub async fn versions(app: &App, scope: &Scope, unit: &OrgUnit) -> Result<Vec<ListedVersion>> {
    let mut listed = vec![ListedVersion {
        stored: None,
        effective_from: DEFAULT_EFFECTIVE,
        policy: Policy::default_policy(),
        source: DEFAULT_SOURCE.to_owned(),
    }];
    for stored in app.db.policy_versions(scope, unit).await? {
        // A stored version was valid when saved; one that no longer parses (after an
        // upgrade changed the rules) is skipped rather than breaking every page.
        match app.parsed_policies.get_or_parse(&stored) {
            Ok(policy) => listed.push(ListedVersion {
                effective_from: stored.effective_from,
                policy,
                source: stored.source.clone(),
                stored: Some(stored),
            }),
            Err(errors) => {
                tracing::error!(version = %stored.id, ?errors, "stored policy no longer parses")
            }
        }
    }
    Ok(listed)
}

/// The versions as the engine uses them.
#[tracing::instrument(skip_all)]
pub async fn history(app: &App, scope: &Scope, unit: &OrgUnit) -> Result<PolicyHistory> {
    let versions = versions(app, scope, unit).await?;
    Ok(PolicyHistory::new(
        versions
            .into_iter()
            .map(|v| (v.effective_from, v.policy))
            .collect(),
    ))
}

/// The version in force today at `unit_id` (the form starts from it).
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn in_force(app: &App, scope: &Scope, unit_id: OrgUnitId) -> Result<Policy> {
    let unit = app.db.unit(scope, unit_id).await?;
    let today = app.today();
    Ok(versions(app, scope, &unit)
        .await?
        .into_iter()
        .rev()
        .find(|v| v.effective_from <= today)
        .map_or_else(Policy::default_policy, |v| v.policy))
}

/// Why a new version was refused.
#[derive(Debug)]
pub enum Refused {
    /// The document has mistakes, each with its line.
    Document(Vec<PolicyError>),
    /// The form has mistakes, each with its field.
    Fields(Vec<FieldError>),
    /// The effective date is missing or malformed.
    Date,
    /// Another version already has this version number.
    VersionTaken(String),
    /// The effective date is before today and no reason was given to correct the record.
    BackDated,
    Other(Error),
}

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        Refused::Other(e)
    }
}

/// Whether the caller may put a policy in force at `unit_id` — asked before the file is
/// received.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn may_put_in_force(app: &App, scope: &Scope, unit_id: OrgUnitId) -> Result<()> {
    let unit = app.db.unit(scope, unit_id).await?;
    require(scope, Permission::ManagePolicy, &unit.path)
}

/// Puts a new version in force on `unit` from `effective_from` (`YYYY-MM-DD`): a document
/// as written or uploaded.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn put_in_force(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    effective_from: &str,
    source: &str,
    correction: &str,
) -> Result<PolicyVersion, Refused> {
    may_put_in_force(app, scope, unit_id).await?;
    let policy = domain::policy::parse(source).map_err(Refused::Document)?;
    save(
        app,
        scope,
        unit_id,
        effective_from,
        &policy,
        source,
        correction,
    )
    .await
}

/// Puts a version edited in the form in force (issue 8): the same checks and the same path
/// as a document, which is written from the parsed policy.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn put_draft_in_force(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    effective_from: &str,
    draft: &Draft,
    correction: &str,
) -> Result<PolicyVersion, Refused> {
    may_put_in_force(app, scope, unit_id).await?;
    let (policy, source) = draft.parse().map_err(Refused::Fields)?;
    save(
        app,
        scope,
        unit_id,
        effective_from,
        &policy,
        &source,
        correction,
    )
    .await
}

async fn save(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    effective_from: &str,
    policy: &Policy,
    source: &str,
    correction: &str,
) -> Result<PolicyVersion, Refused> {
    let unit = app.db.unit(scope, unit_id).await.map_err(Error::from)?;
    require(scope, Permission::ManagePolicy, &unit.path)?;
    let effective_from = parse_date(effective_from).ok_or(Refused::Date)?;
    // Issue 8: every version has a number of its own, and the past is not rewritten
    // unless someone says why (the reason is audited with the version).
    if versions(app, scope, &unit)
        .await?
        .iter()
        .any(|v| v.policy.version == policy.version)
    {
        return Err(Refused::VersionTaken(policy.version.clone()));
    }
    let correction = correction.trim();
    if effective_from < app.today() && correction.is_empty() {
        return Err(Refused::BackDated);
    }
    let correction =
        (!correction.is_empty()).then(|| correction.chars().take(500).collect::<String>());
    let mut write = app.db.write(scope, app.now()).await.map_err(Error::from)?;
    let stored = write
        .add_policy_version(&unit, effective_from, policy, source, correction.as_deref())
        .await
        .map_err(Error::from)?;
    write.commit().await.map_err(Error::from)?;
    Ok(stored)
}
