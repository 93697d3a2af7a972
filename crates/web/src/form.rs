//! Form furniture shared by every page with a form: translated messages per field and the
//! choices of a select box, so a failed form comes back with what was typed. (Multipart
//! forms are read by `multipart`.) The one place a refused form is marked for a screen
//! reader: each field with an error carries `aria-invalid` and `aria-describedby` to its
//! message, and the summary above the form links to each field and takes the focus.

use crate::i18n::Tr;
use askama::filters::HtmlSafe;
use domain::Invalid;
use std::fmt::{self, Display, Formatter, Write};

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
pub struct FieldErrors {
    list: Vec<(String, &'static str)>,
    summary: &'static str,
}

impl FieldErrors {
    /// No errors yet, in `t`'s language.
    pub fn new(t: Tr) -> Self {
        Self {
            list: Vec::new(),
            summary: t.s("common.fix_errors"),
        }
    }

    pub fn from(invalid: &Invalid, t: Tr) -> Self {
        let mut errors = Self::new(t);
        for e in &invalid.0 {
            errors.push(e.field, t.s(e.message));
        }
        errors
    }

    /// Adds a translated message for `field` (a field named at run time, an item of a
    /// checklist say).
    pub fn push(&mut self, field: impl Into<String>, message: &'static str) {
        self.list.push((field.into(), message));
    }

    pub fn get(&self, field: &str) -> &str {
        self.list
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m)
    }

    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }

    /// The marks of one form whose fields have the ids `{prefix}{field}` (a page with two
    /// forms gives each its own prefix, `""` when the field names are the ids).
    pub fn form<'a>(&'a self, prefix: &'a str) -> FormErrors<'a> {
        FormErrors {
            errors: self,
            prefix,
        }
    }
}

/// The errors of one form as its template writes them: the summary, each field's
/// attributes and each field's message.
pub struct FormErrors<'a> {
    errors: &'a FieldErrors,
    prefix: &'a str,
}

impl<'a> FormErrors<'a> {
    /// The summary above the form (empty when nothing was refused): what to do and a link to
    /// each refused field; it takes the focus when the page opens (app.js).
    pub fn summary(&self) -> Marked {
        let mut html = String::new();
        if self.errors.any() {
            let _ = write!(
                html,
                r#"<div class="error-summary" role="alert" tabindex="-1" id="{}errors"><p>{}</p><ul>"#,
                escape(self.prefix),
                escape(self.errors.summary)
            );
            for (field, message) in &self.errors.list {
                let _ = write!(
                    html,
                    r##"<li><a href="#{}{}" data-field>{}</a></li>"##,
                    escape(self.prefix),
                    escape(field),
                    escape(message)
                );
            }
            html.push_str("</ul></div>");
        }
        Marked(html)
    }

    /// The attributes that tie a refused field to its message (nothing when it was not
    /// refused): ` aria-invalid="true" aria-describedby="…-error"`.
    pub fn aria(&self, field: &str) -> Marked {
        Marked(if self.errors.get(field).is_empty() {
            String::new()
        } else {
            format!(
                r#" aria-invalid="true" aria-describedby="{}{}-error""#,
                escape(self.prefix),
                escape(field)
            )
        })
    }

    /// The message under a field, with the id its `aria-describedby` names.
    pub fn message(&self, field: &str) -> Marked {
        Marked(format!(
            r#"<span class="field-error" id="{}{}-error">{}</span>"#,
            escape(self.prefix),
            escape(field),
            escape(self.errors.get(field))
        ))
    }
}

/// Markup built here from escaped parts, written into a template as it is.
pub struct Marked(String);

impl Display for Marked {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl HtmlSafe for Marked {}

/// Text escaped for an HTML attribute or element (askama's own escaper).
fn escape(text: &str) -> String {
    let Ok(escaped) = askama::filters::escape(text, askama::filters::Html);
    escaped.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_refused_field_points_at_its_message_and_the_summary_links_to_it() {
        let mut invalid = Invalid::default();
        invalid.push("expires_on", "error.date");
        let errors = FieldErrors::from(&invalid, Tr::new(Lang::ZhTw));
        let form = errors.form("e-");
        assert_eq!(
            form.aria("expires_on").to_string(),
            r#" aria-invalid="true" aria-describedby="e-expires_on-error""#
        );
        assert_eq!(form.aria("label").to_string(), "");
        assert!(
            form.message("expires_on")
                .to_string()
                .starts_with(r#"<span class="field-error" id="e-expires_on-error">"#)
        );
        let summary = form.summary().to_string();
        assert!(
            summary.contains(r##"<a href="#e-expires_on" data-field>"##)
                && summary.contains(r#"tabindex="-1""#),
            "{summary}"
        );
        assert_eq!(FieldErrors::default().form("").summary().to_string(), "");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">&"#),
            "&#60;a href=&#34;x&#34;&#62;&#38;"
        );
    }
}
