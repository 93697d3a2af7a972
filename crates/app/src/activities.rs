//! Recording activities with their attachments (R-MTG-1, R-EDU-1..4, R-EXT-1, R-PAC-1,
//! R-EMG-2): needs `RecordActivity` at the school. Files are checked by content, photos
//! lose their location metadata, and the bytes are kept content-addressed in the data dir.

use crate::auth::Caller;
use crate::files::{self, Upload};
use crate::{App, Result};
use domain::activity::{Activity, ActivityFields, NewActivity};
use domain::ids::{ActivityId, OrgUnitId};
use domain::role::Permission;
use domain::scope::Scope;
use store::Attachment;

/// Whether the caller may record an activity at `school_id` — asked before the files are
/// received.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn may_record(app: &App, caller: &Caller, school_id: OrgUnitId) -> Result<()> {
    crate::school_for(app, &caller.scope, school_id, Permission::RecordActivity)
        .await
        .map(drop)
}

/// Records an activity of `school_id`.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn record(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    fields: &ActivityFields,
    uploads: Vec<Upload>,
) -> Result<Activity> {
    let scope = &caller.scope;
    let school = crate::school_for(app, scope, school_id, Permission::RecordActivity).await?;
    let (new, files) = files::together(
        NewActivity::parse(fields, app.today()),
        files::check(uploads).await,
    )?;
    let attachments = files::keep(app, files).await?;
    let activity = Activity {
        id: ActivityId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        kind: new.kind,
        subtype: new.subtype,
        held_on: new.held_on,
        title: new.title,
        place: new.place,
        participants: new.participants,
        content: new.content,
        decisions: new.decisions,
        follow_ups: new.follow_ups,
        recorded_by: caller.user.person_name.clone(),
    };
    let mut write = app.db.write(scope, app.now()).await?;
    write.add_activity(&school, &activity, &attachments).await?;
    write.commit().await?;
    Ok(activity)
}

/// An activity with its files.
pub struct ActivityView {
    pub activity: Activity,
    pub attachments: Vec<Attachment>,
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn show(app: &App, scope: &Scope, id: ActivityId) -> Result<ActivityView> {
    let activity = app.db.activity(scope, id).await?;
    let attachments = app
        .db
        .attachments(scope, &format!("activities/{id}"))
        .await?;
    Ok(ActivityView {
        activity,
        attachments,
    })
}
