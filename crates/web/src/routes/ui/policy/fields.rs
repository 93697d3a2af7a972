//! Every value of a policy in words, field by field (issue 8): the policy page shows them,
//! the form labels its inputs with the same names and the comparison compares them, so a
//! value added to the policy is never left out of one of them.

use super::describe_cadence;
use crate::i18n::Tr;
use domain::policy::{Clock, Obligation, Policy, Threshold, Title};

/// One value: its name and its text.
pub type Field = (String, String);

/// An item of the policy (an obligation, a threshold, a clock, a number) with its values.
pub struct Item {
    pub id: String,
    /// The section it belongs to (`policy.obligations`, …), an i18n key.
    pub section: &'static str,
    pub title: String,
    pub fields: Vec<Field>,
}

/// The languages of a title, each a field of its own.
fn titles(t: Tr, label: &str, title: &Title) -> Vec<Field> {
    [
        ("zh-TW", &title.zh_tw),
        ("zh-CN", &title.zh_cn),
        ("en", &title.en),
    ]
    .into_iter()
    .map(|(lang, text)| {
        (
            t.f(
                "policy.field.in_language",
                &[
                    ("field", label),
                    ("lang", t.s(&format!("policy.lang.{lang}"))),
                ],
            ),
            text.clone(),
        )
    })
    .collect()
}

/// Which schools an obligation applies to, in words.
pub fn applies_text(t: Tr, o: &Obligation) -> String {
    let mut parts: Vec<&str> = o.applies.kinds.iter().map(|k| t.s(k.label_key())).collect();
    for (flag, only, not) in [
        (
            o.applies.boarding,
            "policy.boarding_only",
            "policy.day_only",
        ),
        (
            o.applies.canteen,
            "policy.canteen_only",
            "policy.no_canteen_only",
        ),
    ] {
        match flag {
            Some(true) => parts.push(t.s(only)),
            Some(false) => parts.push(t.s(not)),
            None => {}
        }
    }
    if parts.is_empty() {
        t.s("policy.all_schools").to_owned()
    } else {
        t.join(parts)
    }
}

/// What satisfies an obligation, in words.
pub fn evidence_text(t: Tr, o: &Obligation) -> String {
    o.evidence
        .iter()
        .map(|e| {
            let Some(kind) = domain::evidence::kind_of(&e.kind) else {
                return e.kind.clone();
            };
            let mut text = t.s(&kind.label_key()).to_owned();
            if !e.subtypes.is_empty() {
                let subs = t.join(e.subtypes.iter().map(|s| t.s(&kind.subtype_label_key(s))));
                text.push_str(&t.f("policy.subtypes", &[("list", &subs)]));
            }
            text
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A clock's deadline in words: "at once", "within 24 hours".
pub fn hours_text(t: Tr, hours: u16) -> String {
    if hours == 0 {
        t.s("policy.at_once").to_owned()
    } else {
        t.f("policy.within_hours", &[("n", &hours.to_string())])
    }
}

/// A threshold's count in words: "3 or more in 1 day".
pub fn count_text(t: Tr, th: &Threshold) -> String {
    t.f(
        "policy.count",
        &[
            ("n", &th.at_least.to_string()),
            ("days", &th.within.to_string()),
            ("unit", t.s(&th.days.label_key())),
        ],
    )
}

pub fn obligation_fields(t: Tr, o: &Obligation) -> Vec<Field> {
    let mut fields = titles(t, t.s("policy.field.title"), &o.title);
    fields.extend([
        (t.s("policy.field.serves").to_owned(), o.serves.join(" ")),
        (t.s("policy.applies").to_owned(), applies_text(t, o)),
        (
            t.s("work.responsible").to_owned(),
            t.s(&o.role.label_key()).to_owned(),
        ),
        (t.s("policy.field.rule").to_owned(), describe_cadence(t, o)),
        (t.s("policy.field.times").to_owned(), o.times.to_string()),
        (
            t.s("policy.field.grace_days").to_owned(),
            o.grace_days.to_string(),
        ),
        (t.s("policy.evidence").to_owned(), evidence_text(t, o)),
    ]);
    fields
}

pub fn threshold_fields(t: Tr, th: &Threshold, policy: &Policy) -> Vec<Field> {
    let mut fields = titles(t, t.s("policy.field.title"), &th.title);
    let clock = policy
        .clock(&th.clock)
        .map_or_else(|| th.clock.clone(), |c| c.title.get(t.code()).to_owned());
    fields.extend([
        (
            t.s("policy.field.condition").to_owned(),
            t.s(&th.condition.label_key()).to_owned(),
        ),
        (
            t.s("policy.field.group").to_owned(),
            t.s(&th.group.label_key()).to_owned(),
        ),
        (t.s("policy.field.count").to_owned(), count_text(t, th)),
        (t.s("policy.field.clock").to_owned(), clock),
    ]);
    fields
}

pub fn clock_fields(t: Tr, c: &Clock) -> Vec<Field> {
    let mut fields = titles(t, t.s("policy.field.title"), &c.title);
    fields.push((
        t.s("policy.field.deadline").to_owned(),
        hours_text(t, c.hours),
    ));
    fields
}

/// Every item of a policy, section by section: its name, the numbers, the clocks, the
/// thresholds and the obligations.
pub fn items(t: Tr, policy: &Policy) -> Vec<Item> {
    let mut items = vec![Item {
        id: "policy_name".into(),
        section: "policy.settings",
        title: t.s("policy.name").to_owned(),
        fields: titles(t, t.s("policy.name"), &policy.name),
    }];
    items.extend(policy.settings().into_iter().map(|(key, value)| Item {
        id: key.trim_start_matches("policy.setting.").to_owned(),
        section: "policy.settings",
        title: t.s(key).to_owned(),
        fields: vec![(t.s(key).to_owned(), value.to_string())],
    }));
    items.extend(policy.clocks.iter().map(|c| Item {
        id: format!("clock-{}", c.id),
        section: "policy.clocks",
        title: c.title.get(t.code()).to_owned(),
        fields: clock_fields(t, c),
    }));
    items.extend(policy.thresholds.iter().map(|th| Item {
        id: format!("threshold-{}", th.id),
        section: "policy.thresholds",
        title: th.title.get(t.code()).to_owned(),
        fields: threshold_fields(t, th, policy),
    }));
    items.extend(policy.obligations.iter().map(|o| Item {
        id: o.id.clone(),
        section: "policy.obligations",
        title: o.title.get(t.code()).to_owned(),
        fields: obligation_fields(t, o),
    }));
    items
}
