//! Recording activities with their attachments (R-MTG-1, R-EDU-1..4, R-EXT-1, R-PAC-1,
//! R-EMG-2): needs `RecordActivity` at the school. Files are checked by content, photos
//! lose their location metadata, and the bytes are kept content-addressed in the data dir.

use crate::auth::Caller;
use crate::{App, Error, Result, require};
use domain::Invalid;
use domain::activity::{Activity, ActivityFields, NewActivity};
use domain::ids::{ActivityId, AttachmentId, OrgUnitId};
use domain::org::UnitKind;
use domain::role::Permission;
use domain::scope::Scope;
use domain::upload::{UploadLimits, accept};
use store::{Attachment, NewAttachment};

/// A file as uploaded.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// At most this many files per record.
pub const MAX_FILES: usize = 20;

/// Records an activity of `school_id`.
pub async fn record(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    fields: &ActivityFields,
    uploads: Vec<Upload>,
) -> Result<Activity> {
    let scope = &caller.scope;
    let school = app.db.unit(scope, school_id).await?;
    if school.kind != UnitKind::School {
        return Err(Error::NotFound);
    }
    require(scope, Permission::RecordActivity, &school.path)?;
    let parsed = NewActivity::parse(fields, app.today());
    let limits = UploadLimits::default();
    let mut errors = Invalid::default();
    let uploads: Vec<Upload> = uploads
        .into_iter()
        .filter(|u| !u.bytes.is_empty() || !u.file_name.is_empty())
        .collect();
    if uploads.len() > MAX_FILES {
        errors.push("attachments", "error.upload_too_many");
    }
    let mut accepted = Vec::new();
    for upload in uploads {
        match accept(&upload.file_name, upload.bytes, &limits) {
            Ok(file) => accepted.push(file),
            Err(key) => errors.push("attachments", key),
        }
    }
    let new = match parsed {
        Ok(new) if errors.is_empty() => new,
        Ok(_) => return Err(Error::Invalid(errors)),
        Err(mut invalid) => {
            invalid.0.extend(errors.0);
            return Err(Error::Invalid(invalid));
        }
    };
    let mut attachments = Vec::new();
    for file in accepted {
        let sha256 = app.blobs.put(&file.bytes).await.map_err(|e| {
            tracing::error!(error = %e, "cannot store an attachment");
            Error::Store(store::Error::Corrupt(format!("file store: {e}")))
        })?;
        attachments.push(NewAttachment {
            sha256,
            file_name: file.file_name,
            content_type: file.file_type.content_type.to_owned(),
            size: file.bytes.len() as i64,
        });
    }
    let activity = Activity {
        id: ActivityId::new(),
        school_id: school.id,
        school_path: school.path.clone(),
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

pub async fn show(app: &App, scope: &Scope, id: ActivityId) -> Result<ActivityView> {
    let activity = app.db.activity(scope, id).await?;
    let attachments = app.db.attachments(scope, id).await?;
    Ok(ActivityView {
        activity,
        attachments,
    })
}

/// An attachment's record and bytes.
pub async fn download(app: &App, scope: &Scope, id: AttachmentId) -> Result<(Attachment, Vec<u8>)> {
    let attachment = app.db.attachment(scope, id).await?;
    let bytes = app.blobs.get(&attachment.sha256).await.map_err(|e| {
        tracing::error!(error = %e, sha256 = %attachment.sha256, "attachment bytes missing");
        Error::NotFound
    })?;
    Ok((attachment, bytes))
}
