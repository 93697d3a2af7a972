//! Form furniture shared by every page with a form: translated messages per field and the
//! choices of a select box, so a failed form comes back with what was typed.

use crate::i18n::Tr;
use domain::Invalid;

/// A choice in a select box.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The choices of a select box from (value, label) pairs, `selected` marked.
    pub fn list<I, V, L>(items: I, selected: &str) -> Vec<Choice>
    where
        I: IntoIterator<Item = (V, L)>,
        V: Into<String>,
        L: Into<String>,
    {
        items
            .into_iter()
            .map(|(value, label)| {
                let value = value.into();
                Choice {
                    selected: value == selected,
                    value,
                    label: label.into(),
                }
            })
            .collect()
    }
}

/// Field messages of one form, translated.
#[derive(Default)]
pub struct FieldErrors(Vec<(&'static str, &'static str)>);

impl FieldErrors {
    pub fn from(invalid: &Invalid, t: Tr) -> Self {
        Self(
            invalid
                .0
                .iter()
                .map(|e| (e.field, t.s(e.message)))
                .collect(),
        )
    }

    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m)
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// One field of a multipart form.
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: axum::body::Bytes,
}

impl Part {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Every field of a multipart form; `Err` when the body is over the route's limit or broken.
pub async fn read_multipart(mut multipart: axum::extract::Multipart) -> Result<Vec<Part>, ()> {
    let mut parts = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|_| ())?;
                parts.push(Part {
                    name,
                    file_name,
                    bytes,
                });
            }
            Ok(None) => return Ok(parts),
            Err(_) => return Err(()),
        }
    }
}

/// A multipart form read whole: its text fields by name and its files.
#[derive(Default)]
pub struct Submitted {
    texts: std::collections::HashMap<String, String>,
    files: Vec<(String, app::files::Upload)>,
}

impl Submitted {
    /// Reads the form; `Err` when it is over the route's limit or broken.
    pub async fn read(multipart: axum::extract::Multipart) -> Result<Self, ()> {
        let mut submitted = Submitted::default();
        for part in read_multipart(multipart).await? {
            match part.file_name {
                Some(file_name) => submitted.files.push((
                    part.name,
                    app::files::Upload {
                        file_name,
                        bytes: part.bytes.to_vec(),
                    },
                )),
                None => {
                    let text = part.text();
                    submitted.texts.insert(part.name, text);
                }
            }
        }
        Ok(submitted)
    }

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
    pub fn take_files(&mut self, name: &str) -> Vec<app::files::Upload> {
        let (taken, kept) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|(n, _)| n == name);
        self.files = kept;
        taken.into_iter().map(|(_, upload)| upload).collect()
    }

    /// Takes every file, with the name it was sent under.
    pub fn take_all_files(&mut self) -> Vec<(String, app::files::Upload)> {
        std::mem::take(&mut self.files)
    }

    /// Whether the form carries the session's CSRF token.
    pub fn csrf_ok(&self, caller: &app::auth::Caller) -> bool {
        app::auth::csrf_matches(caller, &self.text("_csrf"))
    }
}
