//! Validation errors: which field, and an i18n message key a person can act on.

use serde::Serialize;

/// One field that failed to parse, with the i18n key of the message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
    /// The value refused, for messages that repeat it (`{value}` in the message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Every field error of one input; an input is accepted only when this is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: &'static str, message: &'static str) -> Self {
        Self(vec![FieldError {
            field,
            message,
            value: None,
        }])
    }

    /// One field refused with the value that was given.
    pub fn with_value(field: &'static str, message: &'static str, value: &str) -> Self {
        Self(vec![FieldError {
            field,
            message,
            value: Some(value.to_owned()),
        }])
    }

    pub fn push(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError {
            field,
            message,
            value: None,
        });
    }

    /// Records a field refused with the value that was given.
    pub fn push_value(&mut self, field: &'static str, message: &'static str, value: &str) {
        self.0.extend(Self::with_value(field, message, value).0);
    }

    /// Collects the error of a parse result, returning the value when it parsed.
    pub fn take<T>(&mut self, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.extend(err.0);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn message_for(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message)
    }

    /// `Ok(())` when nothing failed, otherwise the collected errors.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl std::error::Error for Invalid {}

/// Parses a trimmed, non-empty text of at most `max` characters.
pub fn bounded_text(field: &'static str, raw: &str, max: usize) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Invalid::one(field, "error.required"));
    }
    if text.chars().count() > max {
        return Err(Invalid::one(field, "error.too_long"));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::one(field, "error.control_chars"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_text_trims_and_limits() {
        assert_eq!(bounded_text("f", "  校安 ", 5).unwrap(), "校安");
        assert_eq!(
            bounded_text("f", "   ", 5).unwrap_err().message_for("f"),
            Some("error.required")
        );
        assert_eq!(
            bounded_text("f", "一二三四五六", 5)
                .unwrap_err()
                .message_for("f"),
            Some("error.too_long")
        );
        assert!(bounded_text("f", "a\u{7}b", 5).is_err());
    }
}
