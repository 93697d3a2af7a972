//! Roster import (R-ORG-1, R-ORG-2): rows from a school's Excel sheet become grade groups,
//! classes, people and their roles. Every bad row is reported with its column and reason;
//! a file with any bad row imports nothing.

use crate::account::Username;
use crate::error::Invalid;
use crate::org::UnitKind;
use crate::person::{parse_person_name, parse_phone};
use crate::role::Role;
use serde::Serialize;
use std::collections::HashSet;

/// The template's columns, in order: their i18n keys are `roster.column.<name>`.
pub const COLUMNS: [&str; 6] = ["grade_group", "class", "name", "phone", "role", "username"];

/// One accepted row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterEntry {
    /// The spreadsheet row number (1-based, as Excel shows it).
    pub row: usize,
    pub grade_group: Option<String>,
    pub class: Option<String>,
    pub person: Option<RosterPerson>,
}

/// The person a row names, with the role they hold at the row's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterPerson {
    pub name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub username: Option<String>,
}

impl RosterEntry {
    /// The kind of unit the row's person is placed at.
    pub fn unit_kind(&self) -> UnitKind {
        match (&self.grade_group, &self.class) {
            (_, Some(_)) => UnitKind::Class,
            (Some(_), None) => UnitKind::GradeGroup,
            (None, None) => UnitKind::School,
        }
    }
}

/// A rejected cell: row number, column name and the i18n key of the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub column: &'static str,
    pub message: &'static str,
}

/// Parses the data rows (the header row already removed; `first_row` is the spreadsheet
/// number of the first one). `role_named` turns a cell into a role, accepting the role's
/// code or its name in any language.
pub fn parse_roster(
    rows: &[Vec<String>],
    first_row: usize,
    role_named: &dyn Fn(&str) -> Option<Role>,
) -> Result<Vec<RosterEntry>, Vec<RowError>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut usernames = HashSet::new();
    for (offset, cells) in rows.iter().enumerate() {
        let row = first_row + offset;
        let cell = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or("");
        if (0..COLUMNS.len()).all(|i| cell(i).is_empty()) {
            continue;
        }
        let mut fail = |column: &'static str, message: &'static str| {
            errors.push(RowError {
                row,
                column,
                message,
            })
        };
        let optional_name =
            |column: &'static str, raw: &str, fail: &mut dyn FnMut(&'static str, &'static str)| {
                if raw.is_empty() {
                    return None;
                }
                match crate::org::parse_unit_name(raw) {
                    Ok(name) => Some(name),
                    Err(e) => {
                        fail(column, e.0[0].message);
                        None
                    }
                }
            };
        let grade_group = optional_name("grade_group", cell(0), &mut fail);
        let class = optional_name("class", cell(1), &mut fail);
        if class.is_some() && cell(0).is_empty() {
            fail("grade_group", "roster.error.class_needs_grade");
        }
        let person = if cell(2).is_empty() {
            if (3..COLUMNS.len()).any(|i| !cell(i).is_empty()) {
                fail("name", "roster.error.name_missing");
            }
            if grade_group.is_none() && cell(0).is_empty() {
                fail("grade_group", "error.required");
            }
            None
        } else {
            parse_person(cell(2), cell(3), cell(4), cell(5), &mut fail, role_named)
        };
        if let Some(username) = person.as_ref().and_then(|p| p.username.clone())
            && !usernames.insert(username)
        {
            fail("username", "roster.error.username_repeated");
        }
        let entry = RosterEntry {
            row,
            grade_group,
            class,
            person,
        };
        if let Some(person) = &entry.person
            && !person.role.may_be_held_at(entry.unit_kind())
        {
            fail("role", "roster.error.role_not_at_level");
        }
        entries.push(entry);
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn parse_person(
    name: &str,
    phone: &str,
    role: &str,
    username: &str,
    fail: &mut dyn FnMut(&'static str, &'static str),
    role_named: &dyn Fn(&str) -> Option<Role>,
) -> Option<RosterPerson> {
    let first_error = |e: Invalid| e.0.first().map(|f| f.message).unwrap_or("error.invalid");
    let name = parse_person_name(name)
        .map_err(|e| fail("name", first_error(e)))
        .ok();
    let phone = parse_phone(phone)
        .map_err(|e| fail("phone", first_error(e)))
        .ok();
    let role = if role.is_empty() {
        fail("role", "error.required");
        None
    } else {
        role_named(role).or_else(|| {
            fail("role", "roster.error.role_unknown");
            None
        })
    };
    let username = if username.is_empty() {
        Some(None)
    } else {
        Username::parse(username)
            .map(|u| Some(u.as_str().to_owned()))
            .map_err(|e| fail("username", first_error(e)))
            .ok()
    };
    Some(RosterPerson {
        name: name?,
        phone: phone?,
        role: role?,
        username: username?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[[&str; 6]]) -> Vec<Vec<String>> {
        data.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    fn lookup(s: &str) -> Option<Role> {
        match s {
            "班主任" => Some(Role::HeadTeacher),
            "校長" => Some(Role::Principal),
            other => Role::parse(other),
        }
    }

    #[test]
    fn good_rows_parse() {
        let data = rows(&[
            ["一年級", "", "", "", "", ""],
            [
                "一年級",
                "一年一班",
                "陳美玲",
                "13800138000",
                "班主任",
                "chen.ml",
            ],
            ["", "", "王建國", "", "校長", ""],
            ["", "", "", "", "", ""],
        ]);
        let entries = parse_roster(&data, 2, &lookup).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[1].unit_kind(), UnitKind::Class);
        assert_eq!(entries[1].row, 3);
        assert_eq!(entries[2].person.as_ref().unwrap().role, Role::Principal);
    }

    #[test]
    fn every_bad_row_is_named() {
        let data = rows(&[
            ["一年級", "一年一班", "陳美玲", "abc", "班主任", ""],
            ["", "", "王建國", "", "保安隊長", ""],
            ["", "", "李四", "", "班主任", ""],
            ["二年級", "", "張三", "", "teacher", "zhang"],
            ["二年級", "", "張五", "", "teacher", "zhang"],
        ]);
        let errors = parse_roster(&data, 2, &lookup).unwrap_err();
        assert!(errors.contains(&RowError {
            row: 2,
            column: "phone",
            message: "error.phone"
        }));
        assert!(errors.contains(&RowError {
            row: 3,
            column: "role",
            message: "roster.error.role_unknown"
        }));
        assert!(errors.contains(&RowError {
            row: 4,
            column: "role",
            message: "roster.error.role_not_at_level"
        }));
        assert!(errors.contains(&RowError {
            row: 6,
            column: "username",
            message: "roster.error.username_repeated"
        }));
    }
}
