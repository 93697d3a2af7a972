//! Checklist templates (R-HZD-1, R-HZD-4, R-FOOD-1): sections of items, how each is answered,
//! weights for the score, and the evidence a finished inspection gives the policy engine.
//! A library of templates ships in the binary (`library.toml`).

use crate::evidence;
use crate::policy::{RawTitle, Title};
use serde::{Deserialize, Serialize};

/// The shipped library.
pub const LIBRARY_SOURCE: &str = include_str!("library.toml");

/// How an item is answered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum AnswerKind {
    /// Pass, fail or not applicable.
    Check,
    /// A number; outside `min..=max` it fails.
    Number { min: f64, max: f64 },
    /// Words (a reading, a name); it does not pass or fail and does not count in the score.
    Text,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub text: Title,
    #[serde(flatten)]
    pub answer: AnswerKind,
    pub photo_required: bool,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub title: Title,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub code: String,
    pub version: u32,
    pub title: Title,
    pub serves: Vec<String>,
    pub evidence_kind: String,
    pub evidence_subtype: Option<String>,
    pub sections: Vec<Section>,
}

impl Template {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLibrary {
    template: Vec<RawTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    kind: String,
    subtype: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    text: RawTitle,
    answer: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    photo: bool,
    weight: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: RawTitle,
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    code: String,
    version: u32,
    title: RawTitle,
    #[serde(default)]
    serves: Vec<String>,
    evidence: RawEvidence,
    section: Vec<RawSection>,
}

/// Parses a library, checking codes, evidence kinds, item ids and number ranges.
pub fn parse_library(source: &str) -> Result<Vec<Template>, String> {
    let raw: RawLibrary = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut templates: Vec<Template> = Vec::new();
    for t in raw.template {
        if templates.iter().any(|x| x.code == t.code) {
            return Err(format!("template {} twice", t.code));
        }
        let kind = evidence::kind_of(&t.evidence.kind)
            .ok_or_else(|| format!("{}: no evidence kind {}", t.code, t.evidence.kind))?;
        if let Some(s) = &t.evidence.subtype
            && !kind.has_subtype(s)
        {
            return Err(format!("{}: {} has no subtype {s}", t.code, kind.code));
        }
        let mut sections = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for s in t.section {
            let mut items = Vec::new();
            for i in s.items {
                if seen.contains(&i.id) {
                    return Err(format!("{}: item {} twice", t.code, i.id));
                }
                seen.push(i.id.clone());
                let answer = match (i.answer.as_deref(), i.min, i.max) {
                    (None | Some("check"), None, None) => AnswerKind::Check,
                    (Some("number"), Some(min), Some(max)) if min < max => {
                        AnswerKind::Number { min, max }
                    }
                    (Some("text"), None, None) => AnswerKind::Text,
                    _ => return Err(format!("{}: item {} has a bad answer", t.code, i.id)),
                };
                items.push(Item {
                    id: i.id,
                    text: i.text.into(),
                    answer,
                    photo_required: i.photo,
                    weight: i.weight.unwrap_or(1),
                });
            }
            sections.push(Section {
                title: s.title.into(),
                items,
            });
        }
        templates.push(Template {
            code: t.code,
            version: t.version,
            title: t.title.into(),
            serves: t.serves,
            evidence_kind: kind.code.to_owned(),
            evidence_subtype: t.evidence.subtype,
            sections,
        });
    }
    Ok(templates)
}

/// The library in effect: the shipped one, then each published layer in order (the county's,
/// then a school's own); a template of a later layer replaces one with the same code.
pub fn merged(layers: &[Vec<Template>]) -> Vec<Template> {
    let mut library: Vec<Template> = self::library().to_vec();
    for layer in layers {
        for template in layer {
            match library.iter_mut().find(|t| t.code == template.code) {
                Some(existing) => *existing = template.clone(),
                None => library.push(template.clone()),
            }
        }
    }
    library
}

/// The shipped library, parsed once.
pub fn library() -> &'static [Template] {
    static LIBRARY: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| {
        // Checked by a unit test; it cannot fail at run time.
        parse_library(LIBRARY_SOURCE).unwrap_or_else(|e| panic!("checklist library: {e}"))
    })
}

pub fn template(code: &str) -> Option<&'static Template> {
    library().iter().find(|t| t.code == code)
}

/// A shipped template whose inspection is evidence of `kind` (with one of `subtypes`, when
/// any are listed): what to open when an obligation asks for such a record.
pub fn template_for(kind: &str, subtypes: &[String]) -> Option<&'static Template> {
    library().iter().find(|t| {
        t.evidence_kind == kind
            && (subtypes.is_empty()
                || t.evidence_subtype
                    .as_ref()
                    .is_some_and(|s| subtypes.contains(s)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_valid_and_covers_the_seed() {
        let library = parse_library(LIBRARY_SOURCE).unwrap();
        for code in [
            "monthly_hazard",
            "term_start",
            "term_end",
            "canteen_daily",
            "fire_patrol",
            "fire_inspection",
        ] {
            assert!(library.iter().any(|t| t.code == code), "{code}");
        }
        let canteen = library.iter().find(|t| t.code == "canteen_daily").unwrap();
        assert!(
            canteen
                .items()
                .any(|i| matches!(i.answer, AnswerKind::Number { .. }))
        );
    }

    #[test]
    fn published_layers_replace_and_extend_the_shipped_library() {
        let county =
            parse_library(&LIBRARY_SOURCE.replacen("version = 1", "version = 2", 1)).unwrap();
        let own = parse_library(
            &LIBRARY_SOURCE[..LIBRARY_SOURCE
                .find("\n[[template]]\ncode = \"term_start\"")
                .unwrap()]
                .replace("monthly_hazard", "dorm_night"),
        )
        .unwrap();
        let merged = merged(&[county, own]);
        assert_eq!(
            merged
                .iter()
                .find(|t| t.code == "monthly_hazard")
                .unwrap()
                .version,
            2
        );
        assert!(merged.iter().any(|t| t.code == "dorm_night"));
        assert_eq!(merged.len(), library().len() + 1);
    }

    #[test]
    fn bad_libraries_are_refused() {
        let twice = format!(
            "{LIBRARY_SOURCE}\n{}",
            &LIBRARY_SOURCE[LIBRARY_SOURCE.find("\n[[template]]\ncode").unwrap()..]
        );
        let err = parse_library(&twice).unwrap_err();
        assert!(err.contains("twice"), "{err}");
        let bad_kind = LIBRARY_SOURCE.replacen("kind = \"inspection\"", "kind = \"picnic\"", 1);
        assert!(parse_library(&bad_kind).is_err());
    }
}
