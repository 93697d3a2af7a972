//! The policy (R-POL-1): the version in force and its obligations, the versions over time,
//! putting a new one in force, and comparing two side by side.

pub mod compare;
pub mod edit;
pub mod fields;
pub mod save;
pub mod show;
pub mod upload;

use crate::i18n::Tr;
use domain::policy::{Cadence, Obligation, PolicyError};

/// An obligation's rule in words: "every month, 1 time, 5 grace days".
pub fn describe(t: Tr, o: &Obligation) -> String {
    let mut text = describe_cadence(t, o);
    if o.times > 1 {
        text.push_str(&t.f("cadence.times", &[("n", &o.times.to_string())]));
    }
    if o.grace_days > 0 {
        text.push_str(&t.f("cadence.grace", &[("n", &o.grace_days.to_string())]));
    }
    text
}

/// How often an obligation falls due, in words: "every month".
pub fn describe_cadence(t: Tr, o: &Obligation) -> String {
    match o.cadence {
        Cadence::TermStart { days } | Cadence::MidTerm { days } | Cadence::TermEnd { days } => {
            let key = match o.cadence {
                Cadence::TermStart { .. } => "cadence.term_start",
                Cadence::MidTerm { .. } => "cadence.mid_term",
                _ => "cadence.term_end",
            };
            t.f(key, &[("days", &days.to_string())])
        }
        Cadence::Date { month, day } => t.f(
            "cadence.date",
            &[("month", &month.to_string()), ("day", &day.to_string())],
        ),
        Cadence::InMonth { month } => t.f("cadence.in_month", &[("month", &month.to_string())]),
        Cadence::Day => t.s("cadence.day").to_owned(),
        Cadence::SchoolDay => t.s("cadence.school_day").to_owned(),
        Cadence::Week => t.s("cadence.week").to_owned(),
        Cadence::Month => t.s("cadence.month").to_owned(),
        Cadence::Quarter => t.s("cadence.quarter").to_owned(),
        Cadence::Term => t.s("cadence.term").to_owned(),
        Cadence::Year => t.s("cadence.year").to_owned(),
    }
}

/// A policy mistake as a person reads it: "line 12: …".
pub fn error_line(t: Tr, e: &PolicyError) -> String {
    let args: Vec<(&str, &str)> = e.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.f(
        "policy.error_line",
        &[
            ("line", &e.line.to_string()),
            ("message", &t.f(e.key, &args)),
        ],
    )
}
