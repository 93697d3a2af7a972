//! Multipart forms read as a stream, in the order the guards need: the session (checked by
//! the extractor before the body), the CSRF token — the form's first field, refused before
//! anything else is read — then the caller's permission (the handler asks app), and only
//! then the rest: text fields in memory within a bound, each file into a temporary file of
//! the data dir within the per-file and per-request limits. Nothing is held whole in memory.

use app::App;
use app::auth::Caller;
use app::files::{Receive, Receiving, Upload};
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

/// Why a form was not read.
#[derive(Debug)]
pub enum Refused {
    /// The first field is not the session's CSRF token.
    Csrf,
    /// Over a limit: a file's, or the whole request's.
    TooLarge,
    /// A file name with a control character (a NUL…).
    BadName,
    /// Not a readable multipart form.
    Unreadable,
    /// The temporary file could not be written.
    Io(std::io::Error),
}

impl Refused {
    /// The i18n key of the message, and the status to answer with.
    pub fn message(&self) -> (&'static str, StatusCode) {
        match self {
            Refused::Csrf => ("error.csrf", StatusCode::CONFLICT),
            Refused::TooLarge => ("error.upload_too_large", StatusCode::PAYLOAD_TOO_LARGE),
            Refused::BadName => ("error.upload_bad_name", StatusCode::UNPROCESSABLE_ENTITY),
            Refused::Unreadable => ("error.upload_unreadable", StatusCode::UNPROCESSABLE_ENTITY),
            Refused::Io(_) => ("error.internal", StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    /// As a use-case error, for pages that show errors as their error page.
    pub fn into_error(self) -> app::Error {
        match self {
            Refused::Csrf => app::Error::Conflict("error.csrf"),
            Refused::Io(e) => app::Error::Io(format!("temporary upload: {e}")),
            other => app::Error::Invalid(domain::Invalid::one("attachments", other.message().0)),
        }
    }
}

fn from_multipart(e: &MultipartError) -> Refused {
    let text = e.body_text();
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refused::TooLarge
    } else if text.contains("read headers") || text.contains("decode header") {
        // A part's header that does not parse: in practice a file name with a control
        // character (NUL, a line break) that no header may carry.
        Refused::BadName
    } else {
        Refused::Unreadable
    }
}

/// The limits of one form.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of one file (the whole request is bounded by the route's body limit:
    /// `WebConfig::max_attachments` for records, `max_upload` for documents).
    pub per_file: u64,
    /// Bytes of all text fields together.
    pub text: u64,
}

/// Longest CSRF field accepted (tokens are 32 characters).
const CSRF_MAX: usize = 256;

/// A form whose CSRF token has been checked; nothing else of it is read yet.
pub struct Incoming {
    multipart: Multipart,
    limits: Limits,
}

impl Incoming {
    /// Reads the first field, which must carry `caller`'s CSRF token.
    pub async fn open(
        mut multipart: Multipart,
        caller: &Caller,
        limits: Limits,
    ) -> Result<Self, Refused> {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("_csrf") => field,
            Ok(_) => return Err(Refused::Csrf),
            Err(e) => return Err(from_multipart(&e)),
        };
        let mut token = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| from_multipart(&e))? {
            token.extend_from_slice(&chunk);
            if token.len() > CSRF_MAX {
                return Err(Refused::Csrf);
            }
        }
        if !app::auth::csrf_matches(caller, &String::from_utf8_lossy(&token)) {
            return Err(Refused::Csrf);
        }
        drop(field);
        Ok(Self { multipart, limits })
    }

    /// Reads the rest of the form: text fields, and files into temporary files.
    pub async fn read(mut self, app: &App) -> Result<Submitted, Refused> {
        let limits = self.limits;
        let mut submitted = Submitted::default();
        let mut text_bytes = 0_u64;
        loop {
            let mut field = match self.multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => return Ok(submitted),
                Err(e) => return Err(from_multipart(&e)),
            };
            let name = field.name().unwrap_or("").to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    if file_name.chars().any(char::is_control) {
                        return Err(Refused::BadName);
                    }
                    let mut receiving = Receiving::start(app, &file_name, limits.per_file)
                        .await
                        .map_err(Refused::Io)?;
                    while let Some(chunk) = field.chunk().await.map_err(|e| from_multipart(&e))? {
                        receiving.write(&chunk).await.map_err(received)?;
                    }
                    submitted
                        .files
                        .push((name, receiving.finish().await.map_err(received)?));
                }
                None => {
                    let mut text = Vec::new();
                    while let Some(chunk) = field.chunk().await.map_err(|e| from_multipart(&e))? {
                        text_bytes += chunk.len() as u64;
                        if text_bytes > limits.text {
                            return Err(Refused::TooLarge);
                        }
                        text.extend_from_slice(&chunk);
                    }
                    submitted
                        .texts
                        .insert(name, String::from_utf8_lossy(&text).into_owned());
                }
            }
        }
    }
}

fn received(e: Receive) -> Refused {
    match e {
        Receive::TooLarge { .. } => Refused::TooLarge,
        Receive::Io(e) => Refused::Io(e),
    }
}

/// A multipart form read: its text fields by name and its files (in temporary files).
#[derive(Default)]
pub struct Submitted {
    texts: std::collections::HashMap<String, String>,
    files: Vec<(String, Upload)>,
}

impl Submitted {
    /// A text field, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.texts.get(name).cloned().unwrap_or_default()
    }

    /// The text fields whose names start with `prefix`, by the rest of the name.
    pub fn texts_with(&self, prefix: &str) -> impl Iterator<Item = (&str, &str)> {
        self.texts
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }

    /// Takes the files sent under `name`.
    pub fn take_files(&mut self, name: &str) -> Vec<Upload> {
        let (taken, kept) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|(n, _)| n == name);
        self.files = kept;
        taken.into_iter().map(|(_, upload)| upload).collect()
    }

    /// The first non-blank file sent under `name`, read as text (a policy, a library).
    pub async fn take_text_file(&mut self, name: &str) -> Result<Option<String>, Refused> {
        for upload in self.take_files(name) {
            let bytes = upload.read().await.map_err(Refused::Io)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if !text.trim().is_empty() {
                return Ok(Some(text));
            }
        }
        Ok(None)
    }

    /// Takes every file, with the name it was sent under.
    pub fn take_all_files(&mut self) -> Vec<(String, Upload)> {
        std::mem::take(&mut self.files)
    }
}

/// Why a form was not taken: refused as sent, or the caller may not do this at all.
#[derive(Debug)]
pub enum Rejected {
    Form(Refused),
    NotAllowed(app::Error),
}

impl Rejected {
    /// A mistake the form can show beside its files (too large, a bad name, unreadable),
    /// with the status to answer; `None` for what is shown as an error page.
    pub fn as_field_error(&self) -> Option<(domain::Invalid, StatusCode)> {
        match self {
            Rejected::Form(
                refused @ (Refused::TooLarge | Refused::BadName | Refused::Unreadable),
            ) => {
                let (key, status) = refused.message();
                Some((domain::Invalid::one("attachments", key), status))
            }
            _ => None,
        }
    }

    pub fn into_error(self) -> app::Error {
        match self {
            Rejected::Form(refused) => refused.into_error(),
            Rejected::NotAllowed(e) => e,
        }
    }
}

/// Takes a multipart form in the guards' order: the CSRF token (the first field), then
/// `allowed` — the caller's permission, asked of app (a future, so it runs only now) —
/// and only then the rest of the body.
pub async fn receive(
    multipart: Multipart,
    app: &App,
    caller: &Caller,
    limits: Limits,
    allowed: impl std::future::Future<Output = app::Result<()>>,
) -> Result<Submitted, Rejected> {
    let incoming = Incoming::open(multipart, caller, limits)
        .await
        .map_err(Rejected::Form)?;
    allowed.await.map_err(Rejected::NotAllowed)?;
    incoming.read(app).await.map_err(Rejected::Form)
}

impl crate::WebConfig {
    /// A record with its files (photos, evidence, a lecture's video).
    pub fn record_limits(&self) -> Limits {
        let largest = domain::upload::UploadLimits::default().video;
        Limits {
            per_file: largest.min(self.max_attachments as u64),
            text: TEXT_LIMIT,
        }
    }

    /// A document read as text (a policy, a checklist library, a roster).
    pub fn document_limits(&self) -> Limits {
        Limits {
            per_file: self.max_upload as u64,
            text: TEXT_LIMIT,
        }
    }
}

/// All text fields of one form together (an inspection's notes, a pasted policy).
const TEXT_LIMIT: u64 = 2 * 1024 * 1024;

#[cfg(test)]
mod tests {
    /// The CSRF token is read before anything else, so every multipart form in the
    /// templates must send it as its first field — checked over every template, so a
    /// form added later cannot forget.
    #[test]
    fn every_multipart_form_sends_its_csrf_token_first() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut stack = vec![dir];
        let mut forms = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("multipart/form-data") {
                    forms += 1;
                    let rest = &text[at..];
                    let first_field = ["<input", "<select", "<textarea"]
                        .iter()
                        .filter_map(|tag| rest.find(tag))
                        .min()
                        .unwrap();
                    let field =
                        &rest[first_field..first_field + rest[first_field..].find('>').unwrap()];
                    assert!(
                        field.contains("name=\"_csrf\""),
                        "{}: the first field of a multipart form must be _csrf, found {field}",
                        path.display()
                    );
                }
            }
        }
        assert!(forms >= 7, "found {forms} multipart forms");
    }
}
