//! Form furniture shared by every page with a form: translated messages per field and the
//! choices of a select box, so a failed form comes back with what was typed. (Multipart
//! forms are read by `multipart`.)

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
