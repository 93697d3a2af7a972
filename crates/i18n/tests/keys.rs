//! The i18n key guard (issue 8), derived from the code: every key a Rust source or an
//! askama template names — `t.s("…")`, `t.f("…", …)`, `{{ c.t.s("…") }}`, a key handed on
//! as a string (`errors.push("email", "error.email")`) — and every key built at run time
//! (`format!("status.{}", …)`, listed below with the code that builds it) exists in all
//! three catalogs, and the three catalogs hold the same keys.

// A source that cannot be read fails the guard: that is its report.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use xiaoan_i18n::{Lang, catalogs};

/// The workspace's `crates` directory.
fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every Rust source and template of every crate (not the tests: they quote what a
/// person reads, not keys).
fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(crates_dir()).unwrap() {
        let krate = entry.unwrap().path();
        for dir in ["src", "templates"] {
            collect(&krate.join(dir), &mut files);
        }
    }
    assert!(files.len() > 100, "the sources were not found");
    files
}

fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            into.push(path);
        }
    }
}

fn is_key_like(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    first.starts_with(|c: char| c.is_ascii_lowercase())
        && s.contains('.')
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// The string literal that starts right after `at` (an opening quote), if it closes on
/// the same line.
fn literal_at(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at..];
    let end = rest.find(['"', '\n'])?;
    rest[end..].starts_with('"').then(|| &rest[..end])
}

/// Keys passed straight to the translator: `.s("…")`, `.f("…"`.
fn called_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in [".s(\"", ".f(\"", ".s(\n", ".f(\n"] {
        for (at, _) in text.match_indices(call) {
            let mut start = at + call.len();
            if call.ends_with('\n') {
                // A call rustfmt broke over lines: the key is the next line's literal.
                let next = &text[start..];
                let trimmed = next.trim_start();
                if !trimmed.starts_with('"') {
                    continue;
                }
                start += next.len() - trimmed.len() + 1;
            }
            if let Some(key) = literal_at(text, start) {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

/// Any other literal that looks like a key of one of the catalogs' tables (`error.…`,
/// `hazard.…`): a key handed on to be translated later.
fn quoted_keys(text: &str, tables: &BTreeSet<String>) -> Vec<String> {
    text.match_indices('"')
        .filter_map(|(at, _)| literal_at(text, at + 1))
        .filter(|s| is_key_like(s))
        .filter(|s| {
            let first = s.split('.').next().unwrap_or("");
            tables.contains(first)
                && ![
                    ".html", ".rs", ".toml", ".xlsx", ".pdf", ".jpg", ".png", ".key", ".log",
                ]
                .iter()
                .any(|ext| s.ends_with(ext))
        })
        .map(str::to_owned)
        .collect()
}

/// The flash messages named by redirects: `?done=<name>` is shown as `flash.<name>`.
fn flash_keys(text: &str) -> Vec<String> {
    text.match_indices("done=")
        .map(|(at, _)| {
            text[at + 5..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .map(|name| format!("flash.{name}"))
        .collect()
}

/// The keys built at run time, each family with the code that builds it.
fn run_time_keys() -> Vec<(&'static str, Vec<String>)> {
    use domain::hazard::{HazardAction, HazardState, Severity};
    let codes = |prefix: &str, codes: &[&str]| -> Vec<String> {
        codes.iter().map(|c| format!("{prefix}.{c}")).collect()
    };
    vec![
        (
            "Role::label_key",
            domain::role::Role::ALL.map(|r| r.label_key()).to_vec(),
        ),
        (
            "UnitKind::label_key",
            domain::org::UnitKind::ALL
                .map(|k| k.label_key().to_owned())
                .to_vec(),
        ),
        (
            "SchoolKind::label_key",
            domain::org::SchoolKind::ALL
                .map(|k| k.label_key().to_owned())
                .to_vec(),
        ),
        (
            "Status::label_key",
            domain::engine::Status::ALL.map(|s| s.label_key()).to_vec(),
        ),
        (
            "EvidenceKind::label_key and subtype_label_key",
            domain::evidence::KINDS
                .iter()
                .flat_map(|kind| {
                    std::iter::once(kind.label_key())
                        .chain(kind.subtypes.iter().map(|s| kind.subtype_label_key(s)))
                })
                .collect(),
        ),
        (
            "Severity::label_key",
            Severity::ALL.map(|s| s.label_key()).to_vec(),
        ),
        (
            "HazardState::label_key",
            HazardState::ALL.map(|s| s.label_key()).to_vec(),
        ),
        (
            "hazard.action.{action} (hazards/show.rs; the first step is `report`)",
            codes(
                "hazard.action",
                &HazardAction::ALL
                    .map(|a| a.code())
                    .into_iter()
                    .chain(["report"])
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "place.kind.{kind} (places/show.rs)",
            codes("place.kind", &domain::place::PLACE_KINDS),
        ),
        (
            "equipment.kind.{kind} (places/show.rs)",
            codes("equipment.kind", &domain::place::EQUIPMENT_KINDS),
        ),
        (
            "equipment.state.{state} (places/show.rs)",
            codes(
                "equipment.state",
                &domain::place::EquipmentState::ALL.map(|s| s.code()),
            ),
        ),
        (
            "roster.column.{column} (org/import_preview.rs, org/import_template.rs)",
            codes("roster.column", &domain::roster::COLUMNS),
        ),
        (
            "org.position.{position} (org/unit_view.rs, org/unit.html)",
            codes("org.position", &app::org::LEADERSHIP_POSITIONS),
        ),
        (
            "policy.change.{change} (policy/compare.rs)",
            codes("policy.change", &["added", "removed", "changed", "same"]),
        ),
        (
            "reminders.webhook.{kind} (account/show.rs)",
            codes(
                "reminders.webhook",
                &app::notify::WebhookKind::ALL.map(|k| k.code()),
            ),
        ),
        (
            "inspection.{answer} (inspections/show.rs)",
            codes("inspection", &["pass", "fail", "na"]),
        ),
        (
            "terms.number_{n} (terms/mod.rs)",
            vec!["terms.number_1".into(), "terms.number_2".into()],
        ),
        (
            "report.state.{state} (reports/list.rs, reports/show.rs)",
            codes(
                "report.state",
                &domain::report::ReportState::ALL.map(|s| s.code()),
            ),
        ),
        (
            "report.standing.{standing} (reports/list.rs)",
            codes(
                "report.standing",
                &app::reports::Standing::ALL.map(|s| s.code()),
            ),
        ),
    ]
}

#[test]
fn every_catalog_has_the_same_keys() {
    let catalogs = catalogs();
    let zh: BTreeSet<&String> = catalogs[0].keys().collect();
    for (catalog, lang) in catalogs.iter().zip(Lang::ALL) {
        let keys: BTreeSet<&String> = catalog.keys().collect();
        let missing: Vec<_> = zh.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&zh).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}.toml lacks {missing:?} and has extra {extra:?}",
            lang.code()
        );
    }
}

#[test]
fn every_key_the_code_uses_is_in_every_catalog() {
    let catalogs = catalogs();
    let tables: BTreeSet<String> = catalogs[0]
        .keys()
        .filter_map(|k| k.split_once('.').map(|(table, _)| table.to_owned()))
        .collect();
    let is_table = |key: &str| {
        catalogs[0]
            .keys()
            .any(|k| k.starts_with(&format!("{key}.")))
    };
    let mut missing = Vec::new();
    let mut found = 0;
    for file in sources() {
        let text = std::fs::read_to_string(&file).unwrap();
        let called = called_keys(&text);
        let quoted = quoted_keys(&text, &tables);
        let flashes = flash_keys(&text);
        let keys: BTreeSet<&String> = called.iter().chain(&quoted).chain(&flashes).collect();
        for key in keys {
            found += 1;
            // A table handed on is a prefix (`t.term("audit.actions", code)`).
            if quoted.contains(key) && !called.contains(key) && is_table(key) {
                continue;
            }
            for (catalog, lang) in catalogs.iter().zip(Lang::ALL) {
                if !catalog.contains_key(key) {
                    missing.push(format!("{}: {key} ({})", file.display(), lang.code()));
                }
            }
        }
    }
    assert!(found > 500, "only {found} keys found: the scan is broken");
    for (family, keys) in run_time_keys() {
        assert!(!keys.is_empty(), "{family}");
        for key in keys {
            for (catalog, lang) in catalogs.iter().zip(Lang::ALL) {
                if !catalog.contains_key(&key) {
                    missing.push(format!("{family}: {key} ({})", lang.code()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys used but missing from a catalog:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_scan_finds_keys_in_every_form_the_code_writes_them() {
    let rust = r#"t.s("home.title"); t.f("work.due", &[]); user.t.s(
        "nav.home"); errors.push("email", "error.email"); "/hazards?done=saved""#;
    let tables = BTreeSet::from(["error".to_owned()]);
    let mut called = called_keys(rust);
    called.sort();
    assert_eq!(called, ["home.title", "nav.home", "work.due"]);
    assert_eq!(quoted_keys(rust, &tables), ["error.email"]);
    assert_eq!(flash_keys(rust), ["flash.saved"]);
    let template = r#"<p class="muted">{{ c.t.s("org.no_leadership") }}</p>"#;
    assert_eq!(called_keys(template), ["org.no_leadership"]);
}
