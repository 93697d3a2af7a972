//! Files kept with records (activities, hazards, inspections): checked by content, photos
//! stripped of location metadata, stored content-addressed in the data dir, read back
//! within the reader's scope.

use crate::{App, Error, Result};
use domain::Invalid;
use domain::ids::AttachmentId;
use domain::scope::Scope;
use domain::upload::{AcceptedUpload, UploadLimits, accept};
use store::{Attachment, NewAttachment};

/// A file as uploaded.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// At most this many files per record.
pub const MAX_FILES: usize = 20;

/// Checks every upload (an empty file input is no upload); mistakes are under `attachments`.
pub fn check(uploads: Vec<Upload>) -> Result<Vec<AcceptedUpload>, Invalid> {
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
    errors.into_result()?;
    Ok(accepted)
}

/// Merges the file mistakes into a form's own (so both show at once).
pub fn together<T>(
    form: Result<T, Invalid>,
    files: Result<Vec<AcceptedUpload>, Invalid>,
) -> Result<(T, Vec<AcceptedUpload>)> {
    match (form, files) {
        (Ok(form), Ok(files)) => Ok((form, files)),
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            Err(Error::Invalid(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(Error::Invalid(e)),
    }
}

/// Stores checked files in the blob store, ready to be recorded with their record.
pub async fn keep(app: &App, files: Vec<AcceptedUpload>) -> Result<Vec<NewAttachment>> {
    let mut kept = Vec::new();
    for file in files {
        let sha256 = app.blobs.put(&file.bytes).await.map_err(|e| {
            tracing::error!(error = %e, "cannot store an attachment");
            Error::Store(store::Error::Corrupt(format!("file store: {e}")))
        })?;
        kept.push(NewAttachment {
            sha256,
            file_name: file.file_name,
            content_type: file.file_type.content_type.to_owned(),
            size: file.bytes.len() as i64,
        });
    }
    Ok(kept)
}

/// A kept file's record and bytes.
pub async fn download(app: &App, scope: &Scope, id: AttachmentId) -> Result<(Attachment, Vec<u8>)> {
    let attachment = app.db.attachment(scope, id).await?;
    let bytes = app.blobs.get(&attachment.sha256).await.map_err(|e| {
        tracing::error!(error = %e, sha256 = %attachment.sha256, "attachment bytes missing");
        Error::NotFound
    })?;
    Ok((attachment, bytes))
}
