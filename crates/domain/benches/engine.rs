//! Benchmark: every obligation's state for 1,000 schools over one term (issue 3). Run with
//! `cargo bench -p xiaoan-domain --bench engine` (or `scripts/bench --engine`).

// A benchmark, not the product: a failed step ends the run with its panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use xiaoan_domain::calendar::{Holiday, SchoolCalendar, Term};
use xiaoan_domain::engine::{EvidenceSet, Question, Status, evaluate};
use xiaoan_domain::evidence::Evidence;
use xiaoan_domain::org::{SchoolKind, SchoolProfile};
use xiaoan_domain::policy::Policy;

const SCHOOLS: usize = 1000;

fn main() {
    let policy = Policy::default_policy();
    let term = Term::parse("2026", "1", "2026-09-01", "2026-11-09", "2027-01-22").unwrap();
    let calendar = SchoolCalendar::new(
        vec![term.clone()],
        vec![Holiday::parse("2026-10-01", "2026-10-07", "國慶").unwrap()],
    );
    let kinds = [
        ("leadership_meeting", None),
        ("drill", Some("evacuation")),
        ("safety_lesson", Some("fire")),
        ("publicity", Some("flag_speech")),
        ("legal_lecture", None),
        ("health_check", Some("morning")),
        ("health_check", Some("noon")),
    ];
    // About 300 records per school over the term: daily checks plus the rest.
    let schools: Vec<(SchoolProfile, EvidenceSet)> = (0..SCHOOLS)
        .map(|i| {
            let profile = SchoolProfile {
                kind: [
                    SchoolKind::Primary,
                    SchoolKind::Secondary,
                    SchoolKind::Kindergarten,
                ][i % 3],
                boarding: i % 5 == 0,
                has_canteen: i % 2 == 0,
            };
            let records = calendar
                .school_days(term.starts, term.ends)
                .enumerate()
                .flat_map(|(d, day)| {
                    kinds
                        .iter()
                        .enumerate()
                        .filter(move |(k, _)| *k >= 5 || (d + i) % 9 == *k)
                        .map(move |(k, (kind, subtype))| Evidence {
                            kind: (*kind).into(),
                            subtype: subtype.map(Into::into),
                            on: day,
                            about: None,
                            record: format!("{i}-{d}-{k}"),
                            title: String::new(),
                        })
                })
                .collect::<Vec<_>>();
            (profile, EvidenceSet::new(records))
        })
        .collect();

    let mut best = f64::MAX;
    let mut totals = [0usize; Status::ALL.len()];
    for round in 0..5 {
        let started = Instant::now();
        let mut counts = [0usize; Status::ALL.len()];
        for (profile, evidence) in &schools {
            let q = Question {
                school: profile,
                calendar: &calendar,
                from: term.starts,
                to: term.ends,
                today: time::macros::date!(2026 - 11 - 28),
            };
            for state in evaluate(&policy, &q, evidence) {
                counts[state.status as usize] += 1;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        best = best.min(elapsed);
        if round == 0 {
            totals = counts;
        }
    }
    let states: usize = totals.iter().sum();
    println!(
        "policy engine: {SCHOOLS} schools × {} obligations over one term ({} – {}): best of 5 = {:.1} ms ({:.1} µs a school)",
        policy.obligations.len(),
        term.starts,
        term.ends,
        best * 1000.0,
        best * 1e6 / SCHOOLS as f64
    );
    println!(
        "  {states} obligation states: done {}, done late {}, due {}, overdue {}, missed {}, upcoming {}, not due {}, not applicable {}, not tracked {}",
        totals[Status::Done as usize],
        totals[Status::DoneLate as usize],
        totals[Status::Due as usize],
        totals[Status::Overdue as usize],
        totals[Status::Missed as usize],
        totals[Status::Upcoming as usize],
        totals[Status::NotDue as usize],
        totals[Status::NotApplicable as usize],
        totals[Status::NotTracked as usize],
    );
}
