//! Reading a policy document: TOML into a valid `Policy`, or every mistake with the line
//! it is on and what is wrong (R-POL-1).

use super::rules::{self, Clock, Condition, DayCount, Group, Threshold};
use super::{Applicability, Cadence, EvidenceRule, Obligation, Policy, Title};
use crate::evidence;
use crate::org::SchoolKind;
use crate::role::Role;
use serde::Deserialize;
use toml::Spanned;

/// One mistake in a policy document: its line (1-based), an i18n key and the values the
/// message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub line: usize,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    policy: RawHeader,
    hazard: Option<RawHazard>,
    follow_up: Option<RawFollowUp>,
    equipment: Option<RawEquipment>,
    #[serde(default, rename = "obligation")]
    obligations: Vec<RawObligation>,
    #[serde(default, rename = "threshold")]
    thresholds: Vec<RawThreshold>,
    #[serde(default, rename = "clock")]
    clocks: Vec<RawClock>,
}

/// The policy's name: three languages, or one text for all (older documents).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawName {
    Titled(RawTitle),
    Plain(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    id: Spanned<String>,
    title: Spanned<RawTitle>,
    condition: Spanned<String>,
    group: Spanned<String>,
    at_least: Spanned<i64>,
    within_days: Spanned<i64>,
    days: Option<Spanned<String>>,
    clock: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClock {
    id: Spanned<String>,
    title: Spanned<RawTitle>,
    hours: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<RawName>,
    version: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHazard {
    general_days: Option<Spanned<i64>>,
    major_days: Option<Spanned<i64>>,
    escalate_after_days: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEquipment {
    check_days: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFollowUp {
    overdue_days: Option<Spanned<i64>>,
}

/// A title in the three languages, as written in a TOML document (policy, checklists).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTitle {
    #[serde(rename = "zh-TW")]
    zh_tw: String,
    #[serde(rename = "zh-CN")]
    zh_cn: String,
    en: String,
}

impl From<RawTitle> for Title {
    fn from(t: RawTitle) -> Self {
        Title {
            zh_tw: t.zh_tw,
            zh_cn: t.zh_cn,
            en: t.en,
        }
    }
}

/// A title with a text in each language, or a mistake on its line.
fn title(t: &RawTitle, offset: usize, errors: &mut Errors<'_>) -> Title {
    if [&t.zh_tw, &t.zh_cn, &t.en]
        .iter()
        .any(|s| s.trim().is_empty())
    {
        errors.at_offset(offset, "policy.error.title_empty", &[]);
    }
    Title {
        zh_tw: t.zh_tw.trim().to_owned(),
        zh_cn: t.zh_cn.trim().to_owned(),
        en: t.en.trim().to_owned(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplies {
    #[serde(default)]
    kinds: Vec<Spanned<String>>,
    boarding: Option<bool>,
    canteen: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    kind: Spanned<String>,
    #[serde(default)]
    subtypes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObligation {
    id: Spanned<String>,
    title: Spanned<RawTitle>,
    #[serde(default)]
    serves: Vec<Spanned<String>>,
    applies_to: Option<RawApplies>,
    role: Spanned<String>,
    every: Option<Spanned<String>>,
    at: Option<Spanned<String>>,
    on: Option<Spanned<String>>,
    in_month: Option<Spanned<i64>>,
    window_days: Option<Spanned<i64>>,
    times: Option<Spanned<i64>>,
    grace_days: Option<Spanned<i64>>,
    evidence: Spanned<Vec<RawEvidence>>,
}

/// Collects mistakes with their lines.
struct Errors<'s> {
    source: &'s str,
    list: Vec<PolicyError>,
}

impl Errors<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.source[..offset.min(self.source.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn at<T>(&mut self, spanned: &Spanned<T>, key: &'static str, args: &[(&'static str, &str)]) {
        self.at_offset(spanned.span().start, key, args);
    }

    fn at_offset(&mut self, offset: usize, key: &'static str, args: &[(&'static str, &str)]) {
        let line = self.line_of(offset);
        self.list.push(PolicyError {
            line,
            key,
            args: args.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        });
    }
}

/// Parses and validates a policy document.
pub fn parse(source: &str) -> Result<Policy, Vec<PolicyError>> {
    let raw: RawPolicy = toml::from_str(source).map_err(|e| {
        let line = e.span().map_or(1, |span| {
            source[..span.start.min(source.len())].matches('\n').count() + 1
        });
        let detail = e.message().lines().next().unwrap_or_default().to_owned();
        vec![PolicyError {
            line,
            key: "policy.error.syntax",
            args: vec![("detail", detail)],
        }]
    })?;
    let mut errors = Errors {
        source,
        list: Vec::new(),
    };
    if raw.obligations.is_empty() {
        errors.list.push(PolicyError {
            line: 1,
            key: "policy.error.empty",
            args: Vec::new(),
        });
    }
    let defaults = super::HazardDays::default();
    let hazard_days = match &raw.hazard {
        None => defaults,
        Some(h) => super::HazardDays {
            general: bounded(
                &h.general_days,
                1..=180,
                i64::from(defaults.general),
                "policy.error.hazard_days",
                &mut errors,
            ) as u16,
            major: bounded(
                &h.major_days,
                1..=180,
                i64::from(defaults.major),
                "policy.error.hazard_days",
                &mut errors,
            ) as u16,
            escalate_after: bounded(
                &h.escalate_after_days,
                0..=90,
                i64::from(defaults.escalate_after),
                "policy.error.escalate_days",
                &mut errors,
            ) as u16,
        },
    };
    let equipment_check_days = match &raw.equipment {
        None => super::DEFAULT_EQUIPMENT_CHECK_DAYS,
        Some(e) => bounded(
            &e.check_days,
            1..=366,
            i64::from(super::DEFAULT_EQUIPMENT_CHECK_DAYS),
            "policy.error.check_days",
            &mut errors,
        ) as u16,
    };
    let overdue_days = match &raw.follow_up {
        None => super::DEFAULT_OVERDUE_DAYS,
        Some(f) => bounded(
            &f.overdue_days,
            1..=90,
            i64::from(super::DEFAULT_OVERDUE_DAYS),
            "policy.error.overdue_days",
            &mut errors,
        ) as u16,
    };
    let name = match raw.policy.name.get_ref() {
        RawName::Plain(text) => {
            let text = text.trim();
            if text.is_empty() {
                errors.at(&raw.policy.name, "policy.error.title_empty", &[]);
            }
            Title {
                zh_tw: text.to_owned(),
                zh_cn: text.to_owned(),
                en: text.to_owned(),
            }
        }
        RawName::Titled(t) => title(t, raw.policy.name.span().start, &mut errors),
    };
    if raw.policy.version.get_ref().trim().is_empty() {
        errors.at(&raw.policy.version, "policy.error.version_empty", &[]);
    }
    let clocks = clocks(&raw.clocks, &mut errors);
    let thresholds = thresholds(&raw.thresholds, &clocks, &mut errors);
    let mut obligations = Vec::new();
    for (i, o) in raw.obligations.iter().enumerate() {
        check_id(
            &o.id,
            raw.obligations[..i].iter().map(|p| &p.id),
            &mut errors,
        );
        if let Some(obligation) = obligation(o, &mut errors) {
            obligations.push(obligation);
        }
    }
    if errors.list.is_empty() {
        Ok(Policy {
            name,
            version: raw.policy.version.get_ref().trim().to_owned(),
            obligations,
            thresholds,
            clocks,
            hazard_days,
            overdue_days,
            equipment_check_days,
        })
    } else {
        errors.list.sort_by_key(|e| e.line);
        Err(errors.list)
    }
}

/// An id: lowercase letters, digits and underscores, used once in its list.
fn check_id<'a>(
    id: &'a Spanned<String>,
    earlier: impl Iterator<Item = &'a Spanned<String>>,
    errors: &mut Errors<'_>,
) {
    let text = id.get_ref();
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.at(id, "policy.error.id_format", &[("value", text)]);
    }
    let mut earlier = earlier;
    if earlier.any(|e| e.get_ref() == text) {
        errors.at(id, "policy.error.id_duplicate", &[("value", text)]);
    }
}

/// A code of one of the policy's coded lists, or a mistake naming the accepted codes.
fn coded<T>(
    raw: &Spanned<String>,
    parse: impl Fn(&str) -> Option<T>,
    accepted: String,
    key: &'static str,
    errors: &mut Errors<'_>,
) -> Option<T> {
    let parsed = parse(raw.get_ref());
    if parsed.is_none() {
        errors.at(
            raw,
            key,
            &[("value", raw.get_ref()), ("accepted", &accepted)],
        );
    }
    parsed
}

fn clocks(raw: &[RawClock], errors: &mut Errors<'_>) -> Vec<Clock> {
    raw.iter()
        .enumerate()
        .map(|(i, c)| {
            check_id(&c.id, raw[..i].iter().map(|p| &p.id), errors);
            Clock {
                id: c.id.get_ref().clone(),
                title: title(c.title.get_ref(), c.title.span().start, errors),
                hours: bounded(
                    &Some(c.hours.clone()),
                    rules::HOURS,
                    0,
                    "policy.error.hours",
                    errors,
                ) as u16,
            }
        })
        .collect()
}

fn thresholds(raw: &[RawThreshold], clocks: &[Clock], errors: &mut Errors<'_>) -> Vec<Threshold> {
    let mut list = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        check_id(&r.id, raw[..i].iter().map(|p| &p.id), errors);
        let title = title(r.title.get_ref(), r.title.span().start, errors);
        let condition = coded(
            &r.condition,
            Condition::parse,
            Condition::codes(),
            "policy.error.condition",
            errors,
        );
        let group = coded(
            &r.group,
            Group::parse,
            Group::codes(),
            "policy.error.group",
            errors,
        );
        let days = match &r.days {
            None => Some(DayCount::Day),
            Some(d) => coded(
                d,
                DayCount::parse,
                DayCount::codes(),
                "policy.error.day_count",
                errors,
            ),
        };
        let at_least = bounded(
            &Some(r.at_least.clone()),
            rules::AT_LEAST,
            1,
            "policy.error.at_least",
            errors,
        ) as u16;
        let within = bounded(
            &Some(r.within_days.clone()),
            rules::WITHIN_DAYS,
            1,
            "policy.error.within_days",
            errors,
        ) as u16;
        if !clocks.iter().any(|c| c.id == *r.clock.get_ref()) {
            let accepted = clocks
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            errors.at(
                &r.clock,
                "policy.error.clock",
                &[("value", r.clock.get_ref()), ("accepted", &accepted)],
            );
        }
        if let (Some(condition), Some(group), Some(days)) = (condition, group, days) {
            list.push(Threshold {
                id: r.id.get_ref().clone(),
                title,
                condition,
                group,
                at_least,
                within,
                days,
                clock: r.clock.get_ref().clone(),
            });
        }
    }
    list
}

fn is_requirement_id(text: &str) -> bool {
    let mut parts = text.split('-');
    parts.next() == Some("R")
        && parts
            .next()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase()))
        && parts
            .next()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none()
}

/// An integer field within bounds, or the default when absent.
fn bounded(
    value: &Option<Spanned<i64>>,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
    key: &'static str,
    errors: &mut Errors<'_>,
) -> i64 {
    match value {
        None => default,
        Some(v) if range.contains(v.get_ref()) => *v.get_ref(),
        Some(v) => {
            let (min, max) = (range.start().to_string(), range.end().to_string());
            let value = v.get_ref().to_string();
            errors.at(v, key, &[("min", &min), ("max", &max), ("value", &value)]);
            default
        }
    }
}

fn cadence(o: &RawObligation, errors: &mut Errors<'_>) -> Option<Cadence> {
    let given = [
        o.every.is_some(),
        o.at.is_some(),
        o.on.is_some(),
        o.in_month.is_some(),
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        errors.at(
            &o.id,
            "policy.error.rule_count",
            &[("value", o.id.get_ref())],
        );
        return None;
    }
    if let (Some(w), None) = (&o.window_days, &o.at) {
        errors.at(w, "policy.error.window_without_at", &[]);
    }
    if let Some(every) = &o.every {
        let cadence = match every.get_ref().as_str() {
            "day" => Cadence::Day,
            "school_day" => Cadence::SchoolDay,
            "week" => Cadence::Week,
            "month" => Cadence::Month,
            "quarter" => Cadence::Quarter,
            "term" => Cadence::Term,
            "year" => Cadence::Year,
            other => {
                errors.at(every, "policy.error.every", &[("value", other)]);
                return None;
            }
        };
        return Some(cadence);
    }
    if let Some(at) = &o.at {
        let days = match &o.window_days {
            None => {
                errors.at(
                    at,
                    "policy.error.window_missing",
                    &[("min", "1"), ("max", "60")],
                );
                return None;
            }
            Some(_) => bounded(&o.window_days, 1..=60, 14, "policy.error.window", errors) as u16,
        };
        return match at.get_ref().as_str() {
            "term_start" => Some(Cadence::TermStart { days }),
            "mid_term" => Some(Cadence::MidTerm { days }),
            "term_end" => Some(Cadence::TermEnd { days }),
            other => {
                errors.at(at, "policy.error.at", &[("value", other)]);
                None
            }
        };
    }
    if let Some(on) = &o.on {
        let parsed = on.get_ref().split_once('-').and_then(|(m, d)| {
            let (m, d) = (m.parse::<u8>().ok()?, d.parse::<u8>().ok()?);
            let month = time::Month::try_from(m).ok()?;
            time::Date::from_calendar_date(2024, month, d).ok()?;
            Some(Cadence::Date { month: m, day: d })
        });
        if parsed.is_none() {
            errors.at(on, "policy.error.on", &[("value", on.get_ref())]);
        }
        return parsed;
    }
    let month = o.in_month.as_ref()?;
    if (1..=12).contains(month.get_ref()) {
        Some(Cadence::InMonth {
            month: *month.get_ref() as u8,
        })
    } else {
        errors.at(
            month,
            "policy.error.month",
            &[("value", &month.get_ref().to_string())],
        );
        None
    }
}

fn obligation(o: &RawObligation, errors: &mut Errors<'_>) -> Option<Obligation> {
    let before = errors.list.len();
    let id = o.id.get_ref();
    let title = title(o.title.get_ref(), o.title.span().start, errors);
    for s in &o.serves {
        if !is_requirement_id(s.get_ref()) {
            errors.at(s, "policy.error.requirement", &[("value", s.get_ref())]);
        }
    }
    let role = Role::parse(o.role.get_ref());
    if role.is_none() {
        errors.at(&o.role, "policy.error.role", &[("value", o.role.get_ref())]);
    }
    let mut applies = Applicability::default();
    if let Some(a) = &o.applies_to {
        for k in &a.kinds {
            match SchoolKind::parse(k.get_ref()) {
                Some(kind) => applies.kinds.push(kind),
                None => errors.at(k, "policy.error.school_kind", &[("value", k.get_ref())]),
            }
        }
        applies.boarding = a.boarding;
        applies.canteen = a.canteen;
    }
    let cadence = cadence(o, errors);
    let times = bounded(&o.times, 1..=100, 1, "policy.error.times", errors) as u32;
    let grace_days = bounded(&o.grace_days, 0..=90, 0, "policy.error.grace", errors) as u16;
    if o.evidence.get_ref().is_empty() {
        errors.at(&o.evidence, "policy.error.no_evidence", &[]);
    }
    let mut rules = Vec::new();
    for e in o.evidence.get_ref() {
        let Some(kind) = evidence::kind_of(e.kind.get_ref()) else {
            errors.at(
                &e.kind,
                "policy.error.evidence_kind",
                &[("value", e.kind.get_ref())],
            );
            continue;
        };
        for s in &e.subtypes {
            if !kind.has_subtype(s.get_ref()) {
                errors.at(
                    s,
                    "policy.error.subtype",
                    &[("value", s.get_ref()), ("kind", kind.code)],
                );
            }
        }
        rules.push(EvidenceRule {
            kind: kind.code.to_owned(),
            subtypes: e.subtypes.iter().map(|s| s.get_ref().clone()).collect(),
        });
    }
    if errors.list.len() > before {
        return None;
    }
    Some(Obligation {
        id: id.clone(),
        title,
        serves: o.serves.iter().map(|s| s.get_ref().clone()).collect(),
        applies,
        role: role?,
        cadence: cadence?,
        times,
        grace_days,
        evidence: rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_policy_is_valid() {
        let policy = parse(super::super::DEFAULT_SOURCE).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(policy.obligations.len() >= 30);
        assert!(policy.obligation("leadership_meeting").is_some());
    }

    const ONE: &str = r#"[policy]
name = "test"
version = "1"

[[obligation]]
id = "meeting"
title = { zh-TW = "會議", zh-CN = "会议", en = "Meeting" }
serves = ["R-MTG-1"]
role = "principal"
every = "month"
evidence = [{ kind = "leadership_meeting" }]
"#;

    #[test]
    fn a_small_policy_parses() {
        let policy = parse(ONE).unwrap();
        assert_eq!(policy.obligations[0].cadence, Cadence::Month);
        assert_eq!(policy.obligations[0].times, 1);
    }

    #[test]
    fn mistakes_name_their_line() {
        let bad = ONE
            .replace("every = \"month\"", "every = \"fortnight\"")
            .replace("\"principal\"", "\"janitor\"")
            .replace("R-MTG-1", "MTG1");
        let errors = parse(&bad).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            found,
            vec![
                (8, "policy.error.requirement"),
                (9, "policy.error.role"),
                (10, "policy.error.every"),
            ]
        );
        assert_eq!(errors[2].args, vec![("value", "fortnight".to_owned())]);
    }

    #[test]
    fn syntax_errors_name_their_line_too() {
        let bad = ONE.replace("role = \"principal\"", "role = principal");
        let errors = parse(&bad).unwrap_err();
        assert_eq!((errors[0].line, errors[0].key), (9, "policy.error.syntax"));
        let unknown = ONE.replace("every = \"month\"", "evry = \"month\"");
        assert_eq!(parse(&unknown).unwrap_err()[0].line, 10);
    }

    #[test]
    fn evidence_kinds_and_subtypes_are_checked() {
        let bad = ONE.replace(
            "[{ kind = \"leadership_meeting\" }]",
            "[{ kind = \"drill\", subtypes = [\"tsunami\"] }, { kind = \"picnic\" }]",
        );
        let keys: Vec<&str> = parse(&bad).unwrap_err().iter().map(|e| e.key).collect();
        assert_eq!(
            keys,
            vec!["policy.error.subtype", "policy.error.evidence_kind"]
        );
    }

    #[test]
    fn thresholds_and_clocks_are_checked_with_their_lines() {
        let more = format!(
            "{ONE}
[[clock]]
id = \"urgent\"
title = {{ zh-TW = \"緊急\", zh-CN = \"紧急\", en = \"Urgent\" }}
hours = 999

[[threshold]]
id = \"cluster\"
title = {{ zh-TW = \"聚集\", zh-CN = \"聚集\", en = \"\" }}
condition = \"colds\"
group = \"class\"
at_least = 0
within_days = 3
clock = \"later\"
"
        );
        let found: Vec<(usize, &str)> = parse(&more)
            .unwrap_err()
            .iter()
            .map(|e| (e.line, e.key))
            .collect();
        assert_eq!(
            found,
            vec![
                (16, "policy.error.hours"),
                (20, "policy.error.title_empty"),
                (21, "policy.error.condition"),
                (23, "policy.error.at_least"),
                (25, "policy.error.clock"),
            ]
        );
        let plain_name = parse(ONE).unwrap().name;
        assert_eq!(
            (plain_name.zh_tw.as_str(), plain_name.en.as_str()),
            ("test", "test")
        );
    }

    #[test]
    fn exactly_one_rule() {
        let bad = ONE.replace("every = \"month\"", "every = \"month\"\nin_month = 3");
        assert_eq!(parse(&bad).unwrap_err()[0].key, "policy.error.rule_count");
        let window = ONE.replace("every = \"month\"", "at = \"term_start\"\nwindow_days = 90");
        let error = &parse(&window).unwrap_err()[0];
        assert_eq!(error.key, "policy.error.window");
        assert!(
            error.args.contains(&("value", "90".to_owned())),
            "the bad value is named"
        );
        let date = ONE.replace("every = \"month\"", "on = \"02-30\"");
        assert_eq!(parse(&date).unwrap_err()[0].key, "policy.error.on");
    }
}
