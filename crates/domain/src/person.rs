//! People: staff and external partners, with or without a login.

use crate::error::{Invalid, bounded_text};
use crate::ids::{OrgUnitId, PersonId};
use serde::{Deserialize, Serialize};

/// A stored person. `unit_id` is the unit they belong to (their school, or the bureau).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub unit_id: OrgUnitId,
    pub name: String,
    pub phone: Option<String>,
}

/// A person's name: 1 to 40 characters.
pub fn parse_person_name(raw: &str) -> Result<String, Invalid> {
    bounded_text("name", raw, 40)
}

/// An optional phone number: digits with an optional leading `+` and `-` or spaces, 7 to 20 digits.
pub fn parse_phone(raw: &str) -> Result<Option<String>, Invalid> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '-' || c == ' ' || (c == '+' && i == 0));
    if !allowed || !(7..=20).contains(&digits) {
        return Err(Invalid::one("phone", "error.phone"));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(parse_phone("").unwrap(), None);
        assert_eq!(
            parse_phone(" 0755-1234567 ").unwrap().as_deref(),
            Some("0755-1234567")
        );
        assert_eq!(
            parse_phone("+86 138 0013 8000").unwrap().as_deref(),
            Some("+86 138 0013 8000")
        );
        assert!(parse_phone("12ab").is_err());
        assert!(parse_phone("123").is_err());
    }
}
