//! Hazards (R-HZD-3): reported by anyone at a school (or by a failed inspection item),
//! assigned with a deadline from the policy, rectified with evidence, verified by someone
//! other than the rectifier. A major hazard reaches the central school at once.

use crate::auth::Caller;
use crate::files::{self, Upload};
use crate::{App, Error, Result};
use domain::Invalid;
use domain::hazard::{
    Category, Hazard, HazardAction, HazardState, NewHazard, Severity, next_state,
};
use domain::ids::{HazardId, OrgUnitId, PersonId};
use domain::role::{Permission, Role};
use domain::scope::Scope;
use store::{Attachment, HazardEvent, User};
use time::Duration;

/// The fields of the report form, as typed.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct ReportForm {
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub severity: String,
    /// A `Category` code; "other" when not given.
    #[serde(default = "other_category")]
    pub category: String,
}

fn other_category() -> String {
    Category::Other.code().to_owned()
}

impl Default for ReportForm {
    fn default() -> Self {
        Self {
            place: String::new(),
            description: String::new(),
            severity: String::new(),
            category: other_category(),
        }
    }
}

/// Whether the caller may report a hazard at `school_id` — asked before the photos are
/// received.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn may_report(app: &App, caller: &Caller, school_id: OrgUnitId) -> Result<()> {
    crate::school_for(app, &caller.scope, school_id, Permission::RecordActivity)
        .await
        .map(drop)
}

/// Whether the caller may take any step on hazard `id` — asked before the evidence is
/// received (which step, and whether it fits the state, is decided with the form).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn may_step(app: &App, caller: &Caller, id: HazardId) -> Result<()> {
    let hazard = app.db.hazard(&caller.scope, id).await?;
    if HazardAction::ALL
        .into_iter()
        .any(|a| may(&caller.scope, &caller.user, &hazard, a))
    {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Reports a hazard at `school_id`, with photos; `source` names the inspection it came from.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn report(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    form: &ReportForm,
    uploads: Vec<Upload>,
    source: Option<String>,
) -> Result<Hazard> {
    let scope = &caller.scope;
    let school = crate::school_for(app, scope, school_id, Permission::RecordActivity).await?;
    let (new, photos) = files::together(
        NewHazard::parse(
            &form.place,
            &form.description,
            &form.severity,
            &form.category,
        ),
        files::check(uploads).await,
    )?;
    let photos = files::keep(app, photos).await?;
    let hazard = Hazard {
        id: HazardId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        place: new.place,
        description: new.description,
        severity: new.severity,
        category: Some(new.category),
        state: HazardState::Reported,
        responsible_id: None,
        responsible_name: None,
        deadline: None,
        submitted_by: None,
        source,
        reported_by: caller.user.person_name.clone(),
        reported_on: app.today(),
        closed_on: None,
    };
    let mut write = app.db.write(scope, app.now()).await?;
    let event = write.add_hazard(&school, &hazard, None).await?;
    write
        .add_attachments(&format!("hazards/{}/{event}", hazard.id), &school, &photos)
        .await?;
    if hazard.severity == Severity::Major {
        // A major hazard reaches the school's principal and safety officer, the central
        // school and the bureau at once (issue 8: the school's own leaders first).
        let above: Vec<&str> = school.path.split('/').filter(|s| !s.is_empty()).collect();
        let system = Scope::system("hazards");
        let supervisors = app
            .db
            .users_holding(
                &system,
                &[
                    Role::Principal,
                    Role::SafetyOfficer,
                    Role::CentralAdmin,
                    Role::CentralStaff,
                    Role::BureauAdmin,
                ],
                &above,
            )
            .await?;
        for user in supervisors {
            let (title, body) =
                crate::words::major_alert(crate::words::tr_for(&user), &hazard, &school);
            write
                .notify(&user, &title, &body, &format!("/hazards/{}", hazard.id))
                .await?;
        }
    }
    write.commit().await?;
    Ok(hazard)
}

/// What a step form carries.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct StepForm {
    #[serde(default)]
    pub action: String,
    /// The responsible person, for `assign`.
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub note: String,
}

/// Who may take `action` on `hazard`.
fn may(scope: &Scope, user: &User, hazard: &Hazard, action: HazardAction) -> bool {
    let manages = scope.can(Permission::ManageHazards, &hazard.school_path);
    let responsible = hazard.responsible_id == Some(user.person_id);
    match action {
        HazardAction::Assign | HazardAction::Verify | HazardAction::SendBack => manages,
        HazardAction::Start | HazardAction::Submit => manages || responsible,
        HazardAction::InterimControl => {
            manages || responsible || scope.can(Permission::RecordActivity, &hazard.school_path)
        }
    }
}

/// The actions the caller may take on `hazard` now.
pub fn available(caller: &Caller, hazard: &Hazard) -> Vec<HazardAction> {
    HazardAction::ALL
        .into_iter()
        .filter(|a| may(&caller.scope, &caller.user, hazard, *a))
        .filter(|a| {
            next_state(
                hazard.state,
                *a,
                hazard.submitted_by == Some(caller.user.id),
            )
            .is_ok()
        })
        .collect()
}

/// Takes a step; `submit` needs evidence (a photo or file), `assign` a person.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn step(
    app: &App,
    caller: &Caller,
    id: HazardId,
    form: &StepForm,
    uploads: Vec<Upload>,
) -> Result<Hazard> {
    let scope = &caller.scope;
    let before = app.db.hazard(scope, id).await?;
    let Some(action) = HazardAction::parse(form.action.trim()) else {
        return Err(Error::Invalid(Invalid::one("action", "error.choose_one")));
    };
    if !may(scope, &caller.user, &before, action) {
        return Err(Error::Forbidden);
    }
    let state = next_state(
        before.state,
        action,
        before.submitted_by == Some(caller.user.id),
    )
    .map_err(|r| Error::Conflict(r.message_key()))?;
    let mut errors = Invalid::default();
    let note = form.note.trim();
    if action.needs_note() && note.is_empty() {
        errors.push("note", "error.required");
    }
    if note.chars().count() > 2000 {
        errors.push("note", "error.too_long");
    }
    let files = files::check(uploads).await;
    let files = match files {
        Ok(files) => files,
        Err(e) => {
            errors.0.extend(e.0);
            Vec::new()
        }
    };
    if action == HazardAction::Submit
        && files.is_empty()
        && errors.message_for("attachments").is_none()
    {
        errors.push("attachments", "error.evidence_required");
    }
    let mut after = Hazard {
        state,
        ..before.clone()
    };
    let today = app.today();
    match action {
        HazardAction::Assign => {
            let chosen = form.person.trim().parse::<PersonId>().ok();
            match assignees(app, scope, &before)
                .await?
                .into_iter()
                .find(|a| Some(a.person_id) == chosen)
            {
                Some(p) => {
                    after.responsible_id = Some(p.person_id);
                    after.responsible_name = Some(p.name);
                }
                None => errors.push("person", "error.choose_one"),
            }
            if after.deadline.is_none() {
                let school = app.db.unit(scope, before.school_id).await?;
                let history = crate::policy::history(app, scope, &school).await?;
                let days = history
                    .in_force(today)
                    .map(|p| p.hazard_days.for_severity(before.severity))
                    .unwrap_or(14);
                after.deadline = Some(today + Duration::days(i64::from(days)));
            }
        }
        HazardAction::Submit => after.submitted_by = Some(caller.user.id),
        HazardAction::SendBack => after.submitted_by = None,
        HazardAction::Verify => after.closed_on = Some(today),
        HazardAction::Start | HazardAction::InterimControl => {}
    }
    errors.into_result()?;
    let evidence = files::keep(app, files).await?;
    let school = app.db.unit(scope, before.school_id).await?;
    let mut write = app.db.write(scope, app.now()).await?;
    let event = write
        .change_hazard(
            &before,
            &after,
            action.code(),
            (!note.is_empty()).then_some(note),
        )
        .await?;
    write
        .add_attachments(&format!("hazards/{}/{event}", after.id), &school, &evidence)
        .await?;
    write.commit().await?;
    Ok(after)
}

/// A hazard with its steps and files.
pub struct HazardView {
    pub hazard: Hazard,
    pub events: Vec<HazardEvent>,
    /// Files by the step they came with (`hazards/<id>/<event>`).
    pub files: Vec<Attachment>,
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn show(app: &App, scope: &Scope, id: HazardId) -> Result<HazardView> {
    let hazard = app.db.hazard(scope, id).await?;
    let events = app.db.hazard_events(scope, &hazard).await?;
    let mut files = Vec::new();
    for e in &events {
        files.extend(
            app.db
                .attachments(scope, &format!("hazards/{}/{}", hazard.id, e.id))
                .await?,
        );
    }
    Ok(HazardView {
        hazard,
        events,
        files,
    })
}

/// Someone a hazard may be assigned to, with the roles they hold at its school.
#[derive(Debug, Clone)]
pub struct Assignee {
    pub person_id: PersonId,
    pub name: String,
    pub roles: Vec<Role>,
}

/// Who may be made responsible for `hazard`: the people of its school who can sign in (an
/// account that is not disabled) — someone without one could never see the work — each
/// with their roles there, the most senior first, ordered by role and then by name.
pub async fn assignees(app: &App, scope: &Scope, hazard: &Hazard) -> Result<Vec<Assignee>> {
    let school = app.db.unit(scope, hazard.school_id).await?;
    let active: std::collections::HashSet<PersonId> = app
        .db
        .users(scope)
        .await?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| u.person_id)
        .collect();
    let mut people: Vec<Assignee> = app
        .db
        .people_under(scope, &school)
        .await?
        .into_iter()
        .filter(|p| active.contains(&p.person.id))
        .map(|p| {
            let mut roles: Vec<_> = p.roles.iter().map(|r| r.role).collect();
            roles.sort();
            roles.dedup();
            Assignee {
                person_id: p.person.id,
                name: p.person.name,
                roles,
            }
        })
        .collect();
    // By the most senior role (people without one last), then by name.
    people.sort_by(|a, b| {
        (a.roles.is_empty(), a.roles.first(), &a.name).cmp(&(
            b.roles.is_empty(),
            b.roles.first(),
            &b.name,
        ))
    });
    Ok(people)
}
