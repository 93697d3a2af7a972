//! The policy as its form edits it (issue 8, R-POL-1): every value as typed text, written out
//! as a policy document with one value a line, so that each mistake the parser finds names
//! the field it came from. The same writer serialises a parsed policy (`to_toml`): a version
//! saved from the form is the same kind of document as an uploaded one.

use super::{Cadence, Policy, PolicyError, Title, parse};
use std::collections::BTreeMap;

/// Titles as typed, by language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftTitle {
    pub zh_tw: String,
    pub zh_cn: String,
    pub en: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftClock {
    pub id: String,
    pub title: DraftTitle,
    pub hours: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftThreshold {
    pub id: String,
    pub title: DraftTitle,
    pub condition: String,
    pub group: String,
    pub at_least: String,
    pub within_days: String,
    pub days: String,
    pub clock: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftObligation {
    pub id: String,
    pub title: DraftTitle,
    /// Requirement IDs separated by spaces.
    pub serves: String,
    /// School kinds; none means every kind.
    pub kinds: Vec<String>,
    /// `""` (any), `"true"` or `"false"`.
    pub boarding: String,
    pub canteen: String,
    pub role: String,
    /// Which rule: `every`, `at`, `on` or `in_month`.
    pub rule: String,
    pub every: String,
    pub at: String,
    pub window_days: String,
    pub on: String,
    pub in_month: String,
    pub times: String,
    pub grace_days: String,
    /// `kind` (any record of the kind) or `kind/subtype`.
    pub evidence: Vec<String>,
}

/// A whole policy as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub name: DraftTitle,
    pub version: String,
    pub hazard_general_days: String,
    pub hazard_major_days: String,
    pub hazard_escalate_after_days: String,
    pub equipment_check_days: String,
    pub follow_up_overdue_days: String,
    pub clocks: Vec<DraftClock>,
    pub thresholds: Vec<DraftThreshold>,
    pub obligations: Vec<DraftObligation>,
}

/// A mistake and the field it belongs to (`obligation.3.grace_days`); `None` for one that
/// belongs to no single field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<String>,
    pub error: PolicyError,
}

/// A parsed policy as a policy document.
pub fn to_toml(policy: &Policy) -> String {
    Draft::from(policy).write().source
}

impl From<&Title> for DraftTitle {
    fn from(t: &Title) -> Self {
        DraftTitle {
            zh_tw: t.zh_tw.clone(),
            zh_cn: t.zh_cn.clone(),
            en: t.en.clone(),
        }
    }
}

fn flag(value: Option<bool>) -> String {
    value.map_or_else(String::new, |b| b.to_string())
}

impl From<&Policy> for Draft {
    fn from(p: &Policy) -> Self {
        Draft {
            name: (&p.name).into(),
            version: p.version.clone(),
            hazard_general_days: p.hazard_days.general.to_string(),
            hazard_major_days: p.hazard_days.major.to_string(),
            hazard_escalate_after_days: p.hazard_days.escalate_after.to_string(),
            equipment_check_days: p.equipment_check_days.to_string(),
            follow_up_overdue_days: p.overdue_days.to_string(),
            clocks: p
                .clocks
                .iter()
                .map(|c| DraftClock {
                    id: c.id.clone(),
                    title: (&c.title).into(),
                    hours: c.hours.to_string(),
                })
                .collect(),
            thresholds: p
                .thresholds
                .iter()
                .map(|t| DraftThreshold {
                    id: t.id.clone(),
                    title: (&t.title).into(),
                    condition: t.condition.code().to_owned(),
                    group: t.group.code().to_owned(),
                    at_least: t.at_least.to_string(),
                    within_days: t.within.to_string(),
                    days: t.days.code().to_owned(),
                    clock: t.clock.clone(),
                })
                .collect(),
            obligations: p
                .obligations
                .iter()
                .map(|o| {
                    let mut d = DraftObligation {
                        id: o.id.clone(),
                        title: (&o.title).into(),
                        serves: o.serves.join(" "),
                        kinds: o
                            .applies
                            .kinds
                            .iter()
                            .map(|k| k.code().to_owned())
                            .collect(),
                        boarding: flag(o.applies.boarding),
                        canteen: flag(o.applies.canteen),
                        role: o.role.code().to_owned(),
                        times: o.times.to_string(),
                        grace_days: o.grace_days.to_string(),
                        evidence: o
                            .evidence
                            .iter()
                            .flat_map(|e| {
                                if e.subtypes.is_empty() {
                                    vec![e.kind.clone()]
                                } else {
                                    e.subtypes
                                        .iter()
                                        .map(|s| format!("{}/{s}", e.kind))
                                        .collect()
                                }
                            })
                            .collect(),
                        ..DraftObligation::default()
                    };
                    let every = |d: &mut DraftObligation, code: &str| {
                        d.rule = "every".into();
                        d.every = code.into();
                    };
                    match o.cadence {
                        Cadence::Day => every(&mut d, "day"),
                        Cadence::SchoolDay => every(&mut d, "school_day"),
                        Cadence::Week => every(&mut d, "week"),
                        Cadence::Month => every(&mut d, "month"),
                        Cadence::Quarter => every(&mut d, "quarter"),
                        Cadence::Term => every(&mut d, "term"),
                        Cadence::Year => every(&mut d, "year"),
                        Cadence::TermStart { days }
                        | Cadence::MidTerm { days }
                        | Cadence::TermEnd { days } => {
                            d.rule = "at".into();
                            d.at = match o.cadence {
                                Cadence::TermStart { .. } => "term_start",
                                Cadence::MidTerm { .. } => "mid_term",
                                _ => "term_end",
                            }
                            .into();
                            d.window_days = days.to_string();
                        }
                        Cadence::Date { month, day } => {
                            d.rule = "on".into();
                            d.on = format!("{month:02}-{day:02}");
                        }
                        Cadence::InMonth { month } => {
                            d.rule = "in_month".into();
                            d.in_month = month.to_string();
                        }
                    }
                    d
                })
                .collect(),
        }
    }
}

/// A document written from a draft: its text, the field of each line, and the numbers that
/// were not numbers.
pub struct Written {
    pub source: String,
    lines: Vec<Option<String>>,
    errors: Vec<FieldError>,
}

/// Writes a document line by line, remembering which field each line holds.
struct Writer {
    out: Written,
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

fn quoted_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(quoted).collect();
    format!("[{}]", items.join(", "))
}

fn title_value(t: &DraftTitle) -> String {
    format!(
        "{{ zh-TW = {}, zh-CN = {}, en = {} }}",
        quoted(&t.zh_tw),
        quoted(&t.zh_cn),
        quoted(&t.en)
    )
}

impl Writer {
    fn line(&mut self, text: &str, field: Option<String>) {
        self.out.source.push_str(text);
        self.out.source.push('\n');
        self.out.lines.push(field);
    }

    fn value(&mut self, key: &str, value: &str, field: String) {
        self.line(&format!("{key} = {value}"), Some(field));
    }

    /// A whole number, or a mistake on its field (and a harmless 1 in the document so that
    /// the rest is still checked).
    fn number(&mut self, key: &str, typed: &str, field: String) {
        let typed = typed.trim();
        let value = match typed.parse::<i64>() {
            Ok(n) => n.to_string(),
            Err(_) => {
                self.out.errors.push(FieldError {
                    field: Some(field.clone()),
                    error: PolicyError {
                        line: 0,
                        key: "policy.error.number",
                        args: vec![("value", typed.to_owned())],
                    },
                });
                "1".to_owned()
            }
        };
        self.value(key, &value, field);
    }
}

impl Draft {
    /// The draft as a policy document.
    pub fn write(&self) -> Written {
        let mut w = Writer {
            out: Written {
                source: String::new(),
                lines: Vec::new(),
                errors: Vec::new(),
            },
        };
        w.line("[policy]", None);
        w.value("name", &title_value(&self.name), "name".into());
        w.value("version", &quoted(self.version.trim()), "version".into());
        w.line("", None);
        w.line("[hazard]", None);
        w.number(
            "general_days",
            &self.hazard_general_days,
            "setting.hazard_general_days".into(),
        );
        w.number(
            "major_days",
            &self.hazard_major_days,
            "setting.hazard_major_days".into(),
        );
        w.number(
            "escalate_after_days",
            &self.hazard_escalate_after_days,
            "setting.hazard_escalate_after_days".into(),
        );
        w.line("", None);
        w.line("[equipment]", None);
        w.number(
            "check_days",
            &self.equipment_check_days,
            "setting.equipment_check_days".into(),
        );
        w.line("", None);
        w.line("[follow_up]", None);
        w.number(
            "overdue_days",
            &self.follow_up_overdue_days,
            "setting.follow_up_overdue_days".into(),
        );
        for (i, c) in self.clocks.iter().enumerate() {
            let f = |name: &str| format!("clock.{i}.{name}");
            w.line("", None);
            w.line("[[clock]]", None);
            w.value("id", &quoted(&c.id), f("id"));
            w.value("title", &title_value(&c.title), f("title"));
            w.number("hours", &c.hours, f("hours"));
        }
        for (i, t) in self.thresholds.iter().enumerate() {
            let f = |name: &str| format!("threshold.{i}.{name}");
            w.line("", None);
            w.line("[[threshold]]", None);
            w.value("id", &quoted(&t.id), f("id"));
            w.value("title", &title_value(&t.title), f("title"));
            w.value("condition", &quoted(&t.condition), f("condition"));
            w.value("group", &quoted(&t.group), f("group"));
            w.number("at_least", &t.at_least, f("at_least"));
            w.number("within_days", &t.within_days, f("within_days"));
            w.value("days", &quoted(&t.days), f("days"));
            w.value("clock", &quoted(&t.clock), f("clock"));
        }
        for (i, o) in self.obligations.iter().enumerate() {
            o.write(i, &mut w);
        }
        w.out
    }

    /// Reads the draft: the policy and its document, or every mistake with its field.
    pub fn parse(&self) -> Result<(Policy, String), Vec<FieldError>> {
        let written = self.write();
        let mut errors = written.errors.clone();
        match parse(&written.source) {
            Ok(policy) if errors.is_empty() => {
                let source = to_toml(&policy);
                return Ok((policy, source));
            }
            Ok(_) => {}
            Err(found) => {
                for error in found {
                    let field = written
                        .lines
                        .get(error.line.wrapping_sub(1))
                        .cloned()
                        .flatten();
                    // A number that was not a number has its own message already.
                    if field
                        .as_ref()
                        .is_some_and(|f| errors.iter().any(|e| e.field.as_ref() == Some(f)))
                    {
                        continue;
                    }
                    errors.push(FieldError { field, error });
                }
            }
        }
        Err(errors)
    }
}

impl DraftObligation {
    fn write(&self, i: usize, w: &mut Writer) {
        let f = |name: &str| format!("obligation.{i}.{name}");
        w.line("", None);
        w.line("[[obligation]]", None);
        w.value("id", &quoted(&self.id), f("id"));
        w.value("title", &title_value(&self.title), f("title"));
        w.value(
            "serves",
            &quoted_list(self.serves.split_whitespace()),
            f("serves"),
        );
        let mut applies = Vec::new();
        if !self.kinds.is_empty() {
            applies.push(format!(
                "kinds = {}",
                quoted_list(self.kinds.iter().map(String::as_str))
            ));
        }
        for (key, value) in [("boarding", &self.boarding), ("canteen", &self.canteen)] {
            match value.as_str() {
                "true" | "false" => applies.push(format!("{key} = {value}")),
                _ => {}
            }
        }
        if !applies.is_empty() {
            w.value(
                "applies_to",
                &format!("{{ {} }}", applies.join(", ")),
                f("applies_to"),
            );
        }
        w.value("role", &quoted(&self.role), f("role"));
        match self.rule.as_str() {
            "every" => w.value("every", &quoted(&self.every), f("every")),
            "at" => {
                w.value("at", &quoted(&self.at), f("at"));
                w.number("window_days", &self.window_days, f("window_days"));
            }
            "on" => w.value("on", &quoted(self.on.trim()), f("on")),
            "in_month" => w.number("in_month", &self.in_month, f("in_month")),
            // No rule: the parser says an obligation needs exactly one.
            _ => {}
        }
        w.number("times", &self.times, f("times"));
        w.number("grace_days", &self.grace_days, f("grace_days"));
        // Rules in the order their kinds were first chosen; `kind` alone means any subtype.
        let mut rules: Vec<(&str, Vec<&str>)> = Vec::new();
        for chosen in &self.evidence {
            let (kind, subtype) = match chosen.split_once('/') {
                Some((kind, subtype)) => (kind, Some(subtype)),
                None => (chosen.as_str(), None),
            };
            match rules.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, subtypes)) => subtypes.extend(subtype),
                None => rules.push((kind, subtype.into_iter().collect())),
            }
        }
        let rules: Vec<String> = rules
            .iter()
            .map(|(kind, subtypes)| {
                if subtypes.is_empty() {
                    format!("{{ kind = {} }}", quoted(kind))
                } else {
                    format!(
                        "{{ kind = {}, subtypes = {} }}",
                        quoted(kind),
                        quoted_list(subtypes.iter().copied())
                    )
                }
            })
            .collect();
        w.value(
            "evidence",
            &format!("[{}]", rules.join(", ")),
            f("evidence"),
        );
    }
}

/// At most this many entries of a list are read from a form.
const MOST: usize = 1000;

impl Draft {
    /// A draft from a form's fields, named as the document's lines are
    /// (`obligation.3.grace_days`, `obligation.3.title.en`, `setting.hazard_major_days`).
    pub fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Draft {
        let mut draft = Draft::default();
        let mut clocks: BTreeMap<usize, DraftClock> = BTreeMap::new();
        let mut thresholds: BTreeMap<usize, DraftThreshold> = BTreeMap::new();
        let mut obligations: BTreeMap<usize, DraftObligation> = BTreeMap::new();
        for (name, value) in fields {
            let value = value.to_owned();
            let mut parts = name.splitn(3, '.');
            let (list, index, rest) = (parts.next(), parts.next(), parts.next());
            let index = index
                .and_then(|i| i.parse::<usize>().ok())
                .filter(|i| *i < MOST);
            match (list, index, rest) {
                (Some("clock"), Some(i), Some(field)) => {
                    let c = clocks.entry(i).or_default();
                    match field {
                        "id" => c.id = value,
                        "hours" => c.hours = value,
                        other => set_title(&mut c.title, other, value),
                    }
                }
                (Some("threshold"), Some(i), Some(field)) => {
                    let t = thresholds.entry(i).or_default();
                    match field {
                        "id" => t.id = value,
                        "condition" => t.condition = value,
                        "group" => t.group = value,
                        "at_least" => t.at_least = value,
                        "within_days" => t.within_days = value,
                        "days" => t.days = value,
                        "clock" => t.clock = value,
                        other => set_title(&mut t.title, other, value),
                    }
                }
                (Some("obligation"), Some(i), Some(field)) => {
                    let o = obligations.entry(i).or_default();
                    match field {
                        "id" => o.id = value,
                        "serves" => o.serves = value,
                        "kinds" => o.kinds.push(value),
                        "boarding" => o.boarding = value,
                        "canteen" => o.canteen = value,
                        "role" => o.role = value,
                        "rule" => o.rule = value,
                        "every" => o.every = value,
                        "at" => o.at = value,
                        "window_days" => o.window_days = value,
                        "on" => o.on = value,
                        "in_month" => o.in_month = value,
                        "times" => o.times = value,
                        "grace_days" => o.grace_days = value,
                        "evidence" => o.evidence.push(value),
                        other => set_title(&mut o.title, other, value),
                    }
                }
                _ => match name {
                    "version" => draft.version = value,
                    "setting.hazard_general_days" => draft.hazard_general_days = value,
                    "setting.hazard_major_days" => draft.hazard_major_days = value,
                    "setting.hazard_escalate_after_days" => {
                        draft.hazard_escalate_after_days = value
                    }
                    "setting.equipment_check_days" => draft.equipment_check_days = value,
                    "setting.follow_up_overdue_days" => draft.follow_up_overdue_days = value,
                    other => {
                        if let Some(lang) = other.strip_prefix("name.") {
                            set_title(&mut draft.name, &format!("title.{lang}"), value);
                        }
                    }
                },
            }
        }
        draft.clocks = clocks.into_values().collect();
        draft.thresholds = thresholds.into_values().collect();
        draft.obligations = obligations.into_values().collect();
        draft
    }
}

impl Draft {
    /// The draft as a form's fields, as `from_fields` reads them.
    pub fn to_fields(&self) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        let title = |prefix: &str, t: &DraftTitle, fields: &mut Vec<(String, String)>| {
            for (lang, text) in [("zh-TW", &t.zh_tw), ("zh-CN", &t.zh_cn), ("en", &t.en)] {
                fields.push((format!("{prefix}.{lang}"), text.clone()));
            }
        };
        title("name", &self.name, &mut fields);
        for (name, value) in [
            ("version", &self.version),
            ("setting.hazard_general_days", &self.hazard_general_days),
            ("setting.hazard_major_days", &self.hazard_major_days),
            (
                "setting.hazard_escalate_after_days",
                &self.hazard_escalate_after_days,
            ),
            ("setting.equipment_check_days", &self.equipment_check_days),
            (
                "setting.follow_up_overdue_days",
                &self.follow_up_overdue_days,
            ),
        ] {
            fields.push((name.to_owned(), value.clone()));
        }
        for (i, c) in self.clocks.iter().enumerate() {
            title(&format!("clock.{i}.title"), &c.title, &mut fields);
            fields.push((format!("clock.{i}.id"), c.id.clone()));
            fields.push((format!("clock.{i}.hours"), c.hours.clone()));
        }
        for (i, t) in self.thresholds.iter().enumerate() {
            title(&format!("threshold.{i}.title"), &t.title, &mut fields);
            for (name, value) in [
                ("id", &t.id),
                ("condition", &t.condition),
                ("group", &t.group),
                ("at_least", &t.at_least),
                ("within_days", &t.within_days),
                ("days", &t.days),
                ("clock", &t.clock),
            ] {
                fields.push((format!("threshold.{i}.{name}"), value.clone()));
            }
        }
        for (i, o) in self.obligations.iter().enumerate() {
            title(&format!("obligation.{i}.title"), &o.title, &mut fields);
            for (name, value) in [
                ("id", &o.id),
                ("serves", &o.serves),
                ("boarding", &o.boarding),
                ("canteen", &o.canteen),
                ("role", &o.role),
                ("rule", &o.rule),
                ("every", &o.every),
                ("at", &o.at),
                ("window_days", &o.window_days),
                ("on", &o.on),
                ("in_month", &o.in_month),
                ("times", &o.times),
                ("grace_days", &o.grace_days),
            ] {
                fields.push((format!("obligation.{i}.{name}"), value.clone()));
            }
            for (name, list) in [("kinds", &o.kinds), ("evidence", &o.evidence)] {
                for value in list {
                    fields.push((format!("obligation.{i}.{name}"), value.clone()));
                }
            }
        }
        fields
    }
}

fn set_title(title: &mut DraftTitle, field: &str, value: String) {
    match field {
        "title.zh-TW" => title.zh_tw = value,
        "title.zh-CN" => title.zh_cn = value,
        "title.en" => title.en = value,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_policy_survives_writing_and_reading() {
        let policy = Policy::default_policy();
        let again = parse(&to_toml(&policy)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(again, policy);
    }

    #[test]
    fn each_mistake_names_its_field() {
        let mut draft = Draft::from(&Policy::default_policy());
        draft.obligations[2].grace_days = "soon".into();
        draft.obligations[3].times = "0".into();
        draft.hazard_major_days = "500".into();
        draft.clocks[0].hours = "-1".into();
        draft.thresholds[0].group = "street".into();
        let errors = draft.parse().unwrap_err();
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_deref().unwrap_or(""), e.error.key))
            .collect();
        for expected in [
            ("obligation.2.grace_days", "policy.error.number"),
            ("obligation.3.times", "policy.error.times"),
            ("setting.hazard_major_days", "policy.error.hazard_days"),
            ("clock.0.hours", "policy.error.hours"),
            ("threshold.0.group", "policy.error.group"),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        assert_eq!(found.len(), 5, "{found:?}");
    }

    #[test]
    fn a_form_reads_back_into_the_same_draft() {
        let draft = Draft::from(&Policy::default_policy());
        let fields = draft.to_fields();
        let read = Draft::from_fields(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(read, draft);
    }

    #[test]
    fn a_form_cannot_make_a_list_of_a_billion() {
        let read = Draft::from_fields([("obligation.999999999.id", "x"), ("obligation.2.id", "y")]);
        assert_eq!(read.obligations.len(), 1);
    }
}
