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
