//! Importing a school's roster (R-ORG-1, R-ORG-2): grade groups, classes, people, roles and
//! logins from parsed rows, in one all-or-nothing change.

use crate::secret::random_token;
use crate::{App, Error, Result};
use domain::ids::OrgUnitId;
use domain::org::{NewUnit, OrgUnit, UnitKind};
use domain::role::Permission;
use domain::roster::{RosterEntry, RowError};
use domain::scope::Scope;
use store::NewUser;

/// What an import did; temporary passwords are shown once and must be changed at first login.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportSummary {
    pub units_created: usize,
    pub people_created: usize,
    pub logins: Vec<(String, String)>,
}

/// Why an import was refused: the rows at fault, or another failure.
#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<RowError>),
    Other(Error),
}

impl From<Error> for ImportError {
    fn from(e: Error) -> Self {
        ImportError::Other(e)
    }
}

impl From<store::Error> for ImportError {
    fn from(e: store::Error) -> Self {
        ImportError::Other(e.into())
    }
}

/// Whether the caller may import a roster into `school_id` — asked before the file is
/// received.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn may_import(app: &App, scope: &Scope, school_id: OrgUnitId) -> Result<()> {
    target_school(app, scope, school_id).await.map(drop)
}

/// The school a roster may be imported into, checked for the caller.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn target_school(app: &App, scope: &Scope, school_id: OrgUnitId) -> Result<OrgUnit> {
    crate::school_for(app, scope, school_id, Permission::ManageOrg).await
}

/// Usernames in the rows that already exist: each is a row error.
#[tracing::instrument(skip_all)]
pub async fn taken_usernames(app: &App, entries: &[RosterEntry]) -> Result<Vec<RowError>> {
    let mut errors = Vec::new();
    for entry in entries {
        if let Some(username) = entry.person.as_ref().and_then(|p| p.username.as_deref())
            && app.db.user_for_login(username).await?.is_some()
        {
            errors.push(RowError {
                row: entry.row,
                column: "username",
                message: "roster.error.username_taken",
            });
        }
    }
    Ok(errors)
}

/// Applies the rows to `school`: finds or creates each grade group and class by name,
/// adds each person with their role, and a login where a username is given.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn import(
    app: &App,
    scope: &Scope,
    school_id: OrgUnitId,
    entries: &[RosterEntry],
) -> Result<ImportSummary, ImportError> {
    let school = target_school(app, scope, school_id).await?;
    let taken = taken_usernames(app, entries).await?;
    if !taken.is_empty() {
        return Err(ImportError::Rows(taken));
    }
    let mut units: Vec<OrgUnit> = app.db.units_under(scope, &school).await?;
    let mut summary = ImportSummary::default();
    // Hash before taking the write lock: argon2 is slow by design.
    let mut passwords = Vec::new();
    for entry in entries {
        if let Some(username) = entry.person.as_ref().and_then(|p| p.username.clone()) {
            let password = random_token()[..12].to_owned();
            let hash = crate::auth::hash_blocking(&password).await;
            passwords.push((entry.row, username, password, hash));
        }
    }
    let mut write = app.db.write(scope, app.now()).await?;
    for entry in entries {
        let mut unit = school.clone();
        for (name, kind) in [
            (&entry.grade_group, UnitKind::GradeGroup),
            (&entry.class, UnitKind::Class),
        ] {
            let Some(name) = name else { break };
            let existing = units
                .iter()
                .find(|u| u.parent_id == Some(unit.id) && u.kind == kind && &u.name == name)
                .cloned();
            unit = match existing {
                Some(found) => found,
                None => {
                    let created = write
                        .create_unit(
                            &unit,
                            &NewUnit {
                                kind,
                                name: name.clone(),
                                school: None,
                            },
                        )
                        .await?;
                    summary.units_created += 1;
                    units.push(created.clone());
                    created
                }
            };
        }
        let Some(person) = &entry.person else {
            continue;
        };
        let created = write
            .create_person(&unit, &person.name, person.phone.as_deref())
            .await?;
        write.assign_role(&created, person.role, &unit).await?;
        summary.people_created += 1;
        if let Some((_, username, password, hash)) =
            passwords.iter().find(|(row, ..)| *row == entry.row)
        {
            let new = NewUser {
                username: username.clone(),
                password_hash: hash.clone(),
                must_change_password: true,
            };
            write
                .create_user(&created, &unit.path, &new)
                .await
                .map_err(|e| match e {
                    store::Error::Conflict(_) => ImportError::Rows(vec![RowError {
                        row: entry.row,
                        column: "username",
                        message: "roster.error.username_taken",
                    }]),
                    other => other.into(),
                })?;
            summary.logins.push((username.clone(), password.clone()));
        }
    }
    write.commit().await?;
    Ok(summary)
}
