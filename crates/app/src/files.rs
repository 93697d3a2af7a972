//! Files kept with records (activities, hazards, inspections): received as temporary files
//! (never whole in memory), checked by content, photos stripped of location metadata,
//! stored content-addressed in the data dir, read back — as a stream — within the reader's
//! scope.

use crate::{App, Error, Result};
use domain::Invalid;
use domain::ids::AttachmentId;
use domain::scope::Scope;
use domain::upload::{FileType, UploadClass, UploadLimits, accept, clean_file_name, sniff};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use store::{Attachment, NewAttachment};
use tokio::io::AsyncWriteExt;

/// A file as uploaded, kept in a temporary file of the data dir until it is stored or
/// dropped (dropping removes it).
pub struct Upload {
    pub file_name: String,
    temp: TempFile,
}

/// A temporary file of an upload: its path, size and SHA-256, removed when dropped.
struct TempFile {
    path: PathBuf,
    size: u64,
    sha256: String,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Why a file could not be received.
#[derive(Debug)]
pub enum Receive {
    /// Over `limit` bytes.
    TooLarge { limit: u64 },
    /// Writing the temporary file failed.
    Io(std::io::Error),
}

/// Receives one uploaded file chunk by chunk into a temporary file, hashing as it goes.
pub struct Receiving {
    file_name: String,
    file: tokio::fs::File,
    hasher: Sha256,
    temp: TempFile,
    limit: u64,
}

impl Receiving {
    /// Starts a temporary file in `app`'s upload directory for a file of at most `limit`
    /// bytes.
    pub async fn start(app: &App, file_name: &str, limit: u64) -> std::io::Result<Self> {
        tokio::fs::create_dir_all(&app.uploads).await?;
        let path = app
            .uploads
            .join(format!("{}.upload.tmp", crate::secret::random_token()));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await?;
        Ok(Self {
            file_name: file_name.to_owned(),
            file,
            hasher: Sha256::new(),
            temp: TempFile {
                path,
                size: 0,
                sha256: String::new(),
            },
            limit,
        })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), Receive> {
        self.temp.size += chunk.len() as u64;
        if self.temp.size > self.limit {
            return Err(Receive::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await.map_err(Receive::Io)
    }

    pub async fn finish(mut self) -> Result<Upload, Receive> {
        self.file.flush().await.map_err(Receive::Io)?;
        self.temp.sha256 = hex::encode(self.hasher.finalize());
        Ok(Upload {
            file_name: self.file_name,
            temp: self.temp,
        })
    }
}

impl Upload {
    /// The whole file, for documents read as text (a policy, a checklist, a roster), which
    /// their routes keep small.
    pub async fn read(&self) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(&self.temp.path).await
    }
}

/// Removes temporary uploads a crash left behind.
pub fn clean_uploads(app: &App) -> usize {
    let Ok(entries) = std::fs::read_dir(&app.uploads) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".upload.tmp"))
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// A checked file, ready to be stored.
pub struct Accepted {
    pub file_type: FileType,
    pub file_name: String,
    content: Content,
}

enum Content {
    /// Read and, for a photo, stripped of its metadata.
    Bytes(Vec<u8>),
    /// Large audio or video, kept as received.
    File(TempFile),
}

impl Accepted {
    fn size(&self) -> u64 {
        match &self.content {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::File(temp) => temp.size,
        }
    }
}

/// At most this many files per record.
pub const MAX_FILES: usize = 20;

/// Files up to this size are read whole to be checked (and photos stripped); larger ones
/// can only be audio or video, told apart by their first bytes.
fn read_whole_up_to(limits: &UploadLimits) -> u64 {
    limits.image.max(limits.document)
}

/// The first bytes of a file, enough to recognise audio and video containers.
const SNIFF_BYTES: usize = 64 * 1024;

async fn accept_one(upload: Upload, limits: &UploadLimits) -> Result<Accepted, &'static str> {
    if upload.temp.size == 0 {
        return Err("error.upload_empty");
    }
    if upload.temp.size <= read_whole_up_to(limits) {
        let bytes = upload.read().await.map_err(|_| "error.upload_type")?;
        let accepted = accept(&upload.file_name, bytes, limits)?;
        return Ok(Accepted {
            file_type: accepted.file_type,
            file_name: accepted.file_name,
            content: Content::Bytes(accepted.bytes),
        });
    }
    let mut head = vec![0_u8; SNIFF_BYTES];
    let read = {
        use tokio::io::AsyncReadExt;
        let mut file = tokio::fs::File::open(&upload.temp.path)
            .await
            .map_err(|_| "error.upload_type")?;
        file.read(&mut head)
            .await
            .map_err(|_| "error.upload_type")?
    };
    head.truncate(read);
    let file_type = sniff(&head).ok_or("error.upload_type")?;
    let streamable = matches!(file_type.class, UploadClass::Audio | UploadClass::Video);
    if !streamable || upload.temp.size > limits.for_class(file_type.class) {
        return Err("error.upload_too_large");
    }
    Ok(Accepted {
        file_type,
        file_name: clean_file_name(&upload.file_name, file_type.extension),
        content: Content::File(upload.temp),
    })
}

/// Checks every upload (an empty file input is no upload); mistakes are under `attachments`.
pub async fn check(uploads: Vec<Upload>) -> Result<Vec<Accepted>, Invalid> {
    let limits = UploadLimits::default();
    let mut errors = Invalid::default();
    let uploads: Vec<Upload> = uploads
        .into_iter()
        .filter(|u| u.temp.size > 0 || !u.file_name.is_empty())
        .collect();
    if uploads.len() > MAX_FILES {
        errors.push("attachments", "error.upload_too_many");
    }
    let mut accepted = Vec::new();
    for upload in uploads {
        match accept_one(upload, &limits).await {
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
    files: Result<Vec<Accepted>, Invalid>,
) -> Result<(T, Vec<Accepted>)> {
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
pub async fn keep(app: &App, files: Vec<Accepted>) -> Result<Vec<NewAttachment>> {
    let mut kept = Vec::new();
    for file in files {
        let size = file.size() as i64;
        let stored = match file.content {
            Content::Bytes(bytes) => app.blobs.put(&bytes).await,
            Content::File(temp) => app.blobs.put_file(&temp.path, &temp.sha256).await,
        };
        let sha256 = stored.map_err(|e| {
            tracing::error!(error = %e, "cannot store an attachment");
            Error::Io(format!("file store: {e}"))
        })?;
        kept.push(NewAttachment {
            sha256,
            file_name: file.file_name,
            content_type: file.file_type.content_type.to_owned(),
            size,
        });
    }
    Ok(kept)
}

/// A kept file's record and an open handle on its bytes (sent as a stream).
pub async fn download(
    app: &App,
    scope: &Scope,
    id: AttachmentId,
) -> Result<(Attachment, tokio::fs::File)> {
    let attachment = app.db.attachment(scope, id).await?;
    let file = app.blobs.open(&attachment.sha256).await.map_err(|e| {
        tracing::error!(error = %e, sha256 = %attachment.sha256, "attachment bytes missing");
        Error::Io(format!("the file of attachment {id} is missing: {e}"))
    })?;
    Ok((attachment, file))
}

/// The directory of temporary uploads in a data dir.
pub fn uploads_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tmp")
}
