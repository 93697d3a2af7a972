//! Inspections (R-HZD-1, R-ASM-1): a checklist answered item by item at a place; failed
//! items become hazards; the score weighs the items; the inspection is evidence of the
//! obligation its template serves.

use crate::checklist::{AnswerKind, Item, Template};
use crate::evidence::{AsEvidence, Evidence};
use crate::ids::{InspectionId, OrgUnitId};
use serde::{Deserialize, Serialize};
use time::Date;

/// One item's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "answer", content = "value")]
pub enum Answer {
    Pass,
    Fail,
    NotApplicable,
    Number(f64),
    Text(String),
}

impl Answer {
    /// Whether the item failed, given its kind (a number out of range fails).
    pub fn failed(&self, item: &Item) -> bool {
        match (self, item.answer) {
            (Answer::Fail, _) => true,
            (Answer::Number(v), AnswerKind::Number { min, max }) => *v < min || *v > max,
            _ => false,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Answer::Pass => "pass",
            Answer::Fail => "fail",
            Answer::NotApplicable => "na",
            Answer::Number(_) => "number",
            Answer::Text(_) => "text",
        }
    }
}

/// A checked answer with its note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAnswer {
    pub item_id: String,
    pub answer: Answer,
    pub failed: bool,
    pub note: Option<String>,
}

/// Parses one item's raw answer (`pass`, `fail`, `na`, or a number for a number item).
pub fn parse_answer(
    item: &Item,
    raw: &str,
    note: &str,
    has_photo: bool,
) -> Result<ItemAnswer, &'static str> {
    let raw = raw.trim();
    let answer = match item.answer {
        AnswerKind::Check => match raw {
            "pass" => Answer::Pass,
            "fail" => Answer::Fail,
            "na" => Answer::NotApplicable,
            _ => return Err("error.answer_missing"),
        },
        AnswerKind::Number { .. } => match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => Answer::Number(v),
            _ if raw == "na" => Answer::NotApplicable,
            _ => return Err("error.number"),
        },
        AnswerKind::Text if raw.is_empty() => return Err("error.required"),
        AnswerKind::Text => Answer::Text(raw.chars().take(500).collect()),
    };
    let failed = answer.failed(item);
    let note = note.trim();
    if failed && note.is_empty() {
        return Err("error.fail_needs_note");
    }
    if item.photo_required && answer != Answer::NotApplicable && !has_photo {
        return Err("error.photo_required");
    }
    Ok(ItemAnswer {
        item_id: item.id.clone(),
        failed,
        answer,
        note: (!note.is_empty()).then(|| note.chars().take(1000).collect()),
    })
}

/// The weighted score: passed weight over answered weight (not applicable items left out).
pub fn score(template: &Template, answers: &[ItemAnswer]) -> (u32, u32) {
    let mut got = 0;
    let mut max = 0;
    for item in template.items() {
        let Some(a) = answers.iter().find(|a| a.item_id == item.id) else {
            continue;
        };
        if matches!(a.answer, Answer::NotApplicable | Answer::Text(_)) {
            continue;
        }
        max += item.weight;
        if !a.failed {
            got += item.weight;
        }
    }
    (got, max)
}

/// How an inspection's items came out, to explain its score: items passed, failed, not
/// applicable and answered in words (neither scored), and the weighted score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u32,
    pub failed: u32,
    pub not_applicable: u32,
    pub words: u32,
    pub got: u32,
    pub max: u32,
}

/// The tally of `answers` against `template`'s items.
pub fn tally(template: &Template, answers: &[ItemAnswer]) -> Tally {
    let (got, max) = score(template, answers);
    let mut tally = Tally {
        got,
        max,
        ..Tally::default()
    };
    for item in template.items() {
        match answers.iter().find(|a| a.item_id == item.id) {
            Some(a) if a.answer == Answer::NotApplicable => tally.not_applicable += 1,
            Some(ItemAnswer {
                answer: Answer::Text(_),
                ..
            }) => tally.words += 1,
            Some(a) if a.failed => tally.failed += 1,
            Some(_) => tally.passed += 1,
            None => {}
        }
    }
    tally
}

/// A stored inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: InspectionId,
    pub school_id: OrgUnitId,
    pub school_path: String,
    pub template_code: String,
    pub template_version: u32,
    pub evidence_kind: String,
    pub evidence_subtype: Option<String>,
    pub title: String,
    pub place: String,
    pub inspected_on: Date,
    pub inspector: String,
    pub score: u32,
    pub max_score: u32,
    pub failed: u32,
}

impl AsEvidence for Inspection {
    fn evidence(&self) -> Evidence {
        Evidence {
            kind: self.evidence_kind.clone(),
            subtype: self.evidence_subtype.clone(),
            on: self.inspected_on,
            about: None,
            record: format!("inspections/{}", self.id),
            title: self.title.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::template;

    #[test]
    fn a_failed_item_needs_a_note_and_numbers_fail_out_of_range() {
        let canteen = template("canteen_daily").unwrap();
        let fridge = canteen.items().find(|i| i.id == "fridge").unwrap();
        assert!(parse_answer(fridge, "4", "", false).is_ok_and(|a| !a.failed));
        assert_eq!(
            parse_answer(fridge, "12", "", false),
            Err("error.fail_needs_note")
        );
        assert!(parse_answer(fridge, "12", "冰箱故障", false).is_ok_and(|a| a.failed));
        let samples = canteen.items().find(|i| i.id == "samples").unwrap();
        assert_eq!(
            parse_answer(samples, "pass", "", false),
            Err("error.photo_required")
        );
        let health = canteen.items().find(|i| i.id == "health").unwrap();
        assert_eq!(
            parse_answer(health, "", "", false),
            Err("error.answer_missing")
        );
    }

    #[test]
    fn the_tally_explains_the_score() {
        let canteen = template("canteen_daily").unwrap();
        let answers: Vec<ItemAnswer> = canteen
            .items()
            .map(|i| ItemAnswer {
                item_id: i.id.clone(),
                answer: match i.id.as_str() {
                    "accompany" => Answer::NotApplicable,
                    "samples" => Answer::Fail,
                    _ => Answer::Pass,
                },
                failed: i.id == "samples",
                note: None,
            })
            .collect();
        let t = tally(canteen, &answers);
        assert_eq!(t.not_applicable, 1);
        assert_eq!(t.failed, 1);
        assert_eq!(t.passed as usize, canteen.items().count() - 2);
        assert_eq!((t.got, t.max), score(canteen, &answers));
    }

    #[test]
    fn text_items_need_words_and_are_not_scored() {
        let item = Item {
            id: "keeper".into(),
            text: crate::policy::Title {
                zh_tw: "鑰匙保管人".into(),
                zh_cn: "钥匙保管人".into(),
                en: "Key keeper".into(),
            },
            answer: AnswerKind::Text,
            photo_required: false,
            weight: 1,
        };
        assert_eq!(parse_answer(&item, " ", "", false), Err("error.required"));
        let a = parse_answer(&item, "王老師", "", false).unwrap();
        assert!(!a.failed && a.answer == Answer::Text("王老師".into()));
    }

    #[test]
    fn the_score_weighs_items_and_leaves_out_what_does_not_apply() {
        let canteen = template("canteen_daily").unwrap();
        let answers: Vec<ItemAnswer> = canteen
            .items()
            .map(|i| ItemAnswer {
                item_id: i.id.clone(),
                answer: if i.id == "accompany" {
                    Answer::NotApplicable
                } else {
                    Answer::Pass
                },
                failed: i.id == "samples",
                note: None,
            })
            .collect();
        // weights: health 1, samples 2 (failed), fridge 1, accompany n/a, raw_cooked 1.
        assert_eq!(score(canteen, &answers), (3, 5));
    }
}
