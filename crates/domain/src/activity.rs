//! Activity records for obligations with no module of their own (R-MTG-1, R-EDU-1..4,
//! R-EXT-1, R-PAC-1, R-EMG-2, R-DOC-1): what was done, when, by whom — and, as evidence,
//! which obligations it satisfies.

use crate::calendar::parse_date;
use crate::error::{Invalid, bounded_text};
use crate::evidence::{self, AsEvidence, Evidence, Recorder};
use crate::ids::{ActivityId, OrgUnitId};
use serde::{Deserialize, Serialize};
use time::Date;

/// A stored activity record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    pub school_id: OrgUnitId,
    pub school_path: String,
    pub kind: String,
    pub subtype: Option<String>,
    pub held_on: Date,
    pub title: String,
    pub place: Option<String>,
    /// Attendees or participants, as written.
    pub participants: Option<String>,
    /// Minutes, content or notes.
    pub content: Option<String>,
    pub decisions: Option<String>,
    pub follow_ups: Option<String>,
    /// Who recorded it (the person's name at the time).
    pub recorded_by: String,
}

impl AsEvidence for Activity {
    fn evidence(&self) -> Evidence {
        Evidence {
            kind: self.kind.clone(),
            subtype: self.subtype.clone(),
            on: self.held_on,
            about: None,
            record: format!("activities/{}", self.id),
            title: self.title.clone(),
        }
    }
}

/// A parsed activity form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub kind: String,
    pub subtype: Option<String>,
    pub held_on: Date,
    pub title: String,
    pub place: Option<String>,
    pub participants: Option<String>,
    pub content: Option<String>,
    pub decisions: Option<String>,
    pub follow_ups: Option<String>,
}

/// The raw fields of an activity form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActivityFields {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub subtype: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub decisions: String,
    #[serde(default)]
    pub follow_ups: String,
}

fn optional(field: &'static str, raw: &str, max: usize, errors: &mut Invalid) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    errors.take(bounded_text(field, raw, max))
}

impl NewActivity {
    /// Parses the form; `today` bounds the date (a record of the future is a mistake).
    pub fn parse(fields: &ActivityFields, today: Date) -> Result<NewActivity, Invalid> {
        let mut errors = Invalid::default();
        let kind =
            evidence::kind_of(fields.kind.trim()).filter(|k| k.recorder == Recorder::Activity);
        if kind.is_none() {
            errors.push("kind", "error.choose_one");
        }
        let subtype = match (kind, fields.subtype.trim()) {
            (Some(k), "") if !k.subtypes.is_empty() => {
                errors.push("subtype", "error.choose_one");
                None
            }
            (Some(k), s) if !s.is_empty() && !k.has_subtype(s) => {
                errors.push("subtype", "error.choose_one");
                None
            }
            (_, "") => None,
            (_, s) => Some(s.to_owned()),
        };
        let held_on = parse_date(&fields.held_on);
        match held_on {
            None => errors.push("held_on", "error.date"),
            Some(d) if d > today => errors.push("held_on", "error.date_in_future"),
            Some(_) => {}
        }
        let title = errors.take(bounded_text("title", &fields.title, 100));
        let place = optional("place", &fields.place, 100, &mut errors);
        let participants = optional("participants", &fields.participants, 2000, &mut errors);
        let content = optional("content", &fields.content, 20000, &mut errors);
        let decisions = optional("decisions", &fields.decisions, 5000, &mut errors);
        let follow_ups = optional("follow_ups", &fields.follow_ups, 5000, &mut errors);
        if kind.is_some_and(|k| k.code == "leadership_meeting") && participants.is_none() {
            // R-MTG-1: a meeting record names who attended.
            errors.push("participants", "error.required");
        }
        errors.into_result()?;
        match (kind, held_on, title) {
            (Some(kind), Some(held_on), Some(title)) => Ok(NewActivity {
                kind: kind.code.to_owned(),
                subtype,
                held_on,
                title,
                place,
                participants,
                content,
                decisions,
                follow_ups,
            }),
            _ => Err(Invalid::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fields(kind: &str, subtype: &str) -> ActivityFields {
        ActivityFields {
            kind: kind.into(),
            subtype: subtype.into(),
            held_on: "2026-11-10".into(),
            title: "十一月安全工作會議".into(),
            participants: "王建國、李芳".into(),
            ..ActivityFields::default()
        }
    }

    #[test]
    fn a_meeting_needs_its_attendees() {
        let today = date!(2026 - 11 - 28);
        assert!(NewActivity::parse(&fields("leadership_meeting", ""), today).is_ok());
        let mut no_one = fields("leadership_meeting", "");
        no_one.participants.clear();
        let err = NewActivity::parse(&no_one, today).unwrap_err();
        assert_eq!(err.message_for("participants"), Some("error.required"));
    }

    #[test]
    fn kinds_and_subtypes_must_match() {
        let today = date!(2026 - 11 - 28);
        let err = NewActivity::parse(&fields("drill", ""), today).unwrap_err();
        assert_eq!(err.message_for("subtype"), Some("error.choose_one"));
        let err = NewActivity::parse(&fields("drill", "drowning"), today).unwrap_err();
        assert_eq!(err.message_for("subtype"), Some("error.choose_one"));
        assert!(NewActivity::parse(&fields("drill", "evacuation"), today).is_ok());
        let err = NewActivity::parse(&fields("health_check", ""), today).unwrap_err();
        assert_eq!(
            err.message_for("kind"),
            Some("error.choose_one"),
            "kinds of other modules are not activity records"
        );
    }

    #[test]
    fn no_records_of_the_future() {
        let err =
            NewActivity::parse(&fields("parent_school", ""), date!(2026 - 11 - 01)).unwrap_err();
        assert_eq!(err.message_for("held_on"), Some("error.date_in_future"));
    }
}
