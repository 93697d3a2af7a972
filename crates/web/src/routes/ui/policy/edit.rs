//! `GET /policy/edit`: the policy in force as a form (issue 8, R-POL-1) — every value of
//! every obligation, threshold and clock and every policy-wide number, field by field,
//! with each mistake next to its field when a submission comes back.

use crate::AppState;
use crate::i18n::Tr;
use crate::page::{Chrome, render};
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::calendar::format_date;
use domain::evidence::KINDS;
use domain::org::SchoolKind;
use domain::policy::draft::{Draft, DraftTitle};
use domain::policy::rules::{Condition, DayCount, Group};
use domain::role::Role;
use std::collections::HashMap;

/// One choice of a select or a set of checkboxes.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

/// One input of the form.
pub struct Input {
    /// The form name, as the document's field (`obligation.3.grace_days`).
    pub name: String,
    /// The element id (`f-obligation-3-grace_days`).
    pub id: String,
    pub label: String,
    /// `text`, `number`, `select`, `checks` or `hidden`.
    pub kind: &'static str,
    pub value: String,
    pub choices: Vec<Choice>,
    pub hint: String,
    pub errors: Vec<String>,
}

/// A group of inputs: the numbers, or one obligation, threshold or clock (a `<details>`
/// of its own, open when it has a mistake).
pub struct Section {
    pub id: String,
    pub summary: String,
    pub inputs: Vec<Input>,
    pub errors: usize,
    /// "2 mistakes", shown on the closed section.
    pub badge: String,
}

#[derive(Template)]
#[template(path = "policy/edit.html")]
struct EditPage {
    c: Chrome,
    effective_from: Input,
    correction: Input,
    general: Section,
    clocks: Vec<Section>,
    thresholds: Vec<Section>,
    obligations: Vec<Section>,
    /// Mistakes that belong to no field.
    other_errors: Vec<String>,
    refused: bool,
}

/// What a refused submission brings back: the draft as typed, the date, the reason, and
/// the mistakes by field (`None`: the form as a whole).
pub struct Typed {
    pub draft: Draft,
    pub effective_from: String,
    pub correction: String,
    pub errors: Vec<(Option<String>, String)>,
}

/// Builds inputs, taking each field's mistakes out of the list as it goes.
struct Builder {
    t: Tr,
    errors: HashMap<String, Vec<String>>,
}

impl Builder {
    fn input(&mut self, name: &str, label: String, kind: &'static str, value: &str) -> Input {
        Input {
            name: name.to_owned(),
            id: format!("f-{}", name.replace('.', "-")),
            label,
            kind,
            value: value.to_owned(),
            choices: Vec::new(),
            hint: String::new(),
            errors: self.errors.remove(name).unwrap_or_default(),
        }
    }

    fn text(&mut self, name: &str, key: &str, value: &str) -> Input {
        let label = self.t.s(key).to_owned();
        self.input(name, label, "text", value)
    }

    fn number(&mut self, name: &str, key: &str, value: &str) -> Input {
        let label = self.t.s(key).to_owned();
        self.input(name, label, "number", value)
    }

    fn select(
        &mut self,
        name: &str,
        key: &str,
        value: &str,
        choices: impl IntoIterator<Item = (String, String)>,
    ) -> Input {
        let label = self.t.s(key).to_owned();
        let mut input = self.input(name, label, "select", value);
        input.choices = choices
            .into_iter()
            .map(|(v, label)| Choice {
                chosen: v == value,
                value: v,
                label,
            })
            .collect();
        input
    }

    fn checks(
        &mut self,
        name: &str,
        key: &str,
        chosen: &[String],
        choices: impl IntoIterator<Item = (String, String)>,
    ) -> Input {
        let label = self.t.s(key).to_owned();
        let mut input = self.input(name, label, "checks", "");
        input.choices = choices
            .into_iter()
            .map(|(v, label)| Choice {
                chosen: chosen.contains(&v),
                value: v,
                label,
            })
            .collect();
        input
    }

    /// The three languages of a title; its mistakes go with the first.
    fn title(&mut self, prefix: &str, key: &str, title: &DraftTitle) -> Vec<Input> {
        let t = self.t;
        let errors = self.errors.remove(prefix).unwrap_or_default();
        let mut inputs: Vec<Input> = [
            ("zh-TW", &title.zh_tw),
            ("zh-CN", &title.zh_cn),
            ("en", &title.en),
        ]
        .into_iter()
        .map(|(lang, text)| {
            let label = t.f(
                "policy.field.in_language",
                &[
                    ("field", t.s(key)),
                    ("lang", t.s(&format!("policy.lang.{lang}"))),
                ],
            );
            self.input(&format!("{prefix}.{lang}"), label, "text", text)
        })
        .collect();
        inputs[0].errors = errors;
        inputs
    }

    fn section(&self, id: String, summary: String, inputs: Vec<Input>) -> Section {
        let errors: usize = inputs.iter().map(|i| i.errors.len()).sum();
        Section {
            errors,
            badge: self
                .t
                .f("policy.edit_errors", &[("n", &errors.to_string())]),
            id,
            summary,
            inputs,
        }
    }
}

fn flag_choices(t: Tr, only: &str, not: &str) -> Vec<(String, String)> {
    vec![
        (String::new(), t.s("policy.flag.any").to_owned()),
        ("true".into(), t.s(only).to_owned()),
        ("false".into(), t.s(not).to_owned()),
    ]
}

fn evidence_choices(t: Tr) -> Vec<(String, String)> {
    let mut choices = Vec::new();
    for kind in KINDS {
        let label = t.s(&kind.label_key());
        choices.push((
            kind.code.to_owned(),
            t.f("policy.evidence_any", &[("kind", label)]),
        ));
        for s in kind.subtypes {
            choices.push((
                format!("{}/{s}", kind.code),
                format!("{label} · {}", t.s(&kind.subtype_label_key(s))),
            ));
        }
    }
    choices
}

fn build(c: Chrome, typed: Typed) -> EditPage {
    let t = c.t;
    let d = &typed.draft;
    let mut general_errors = Vec::new();
    let mut by_field: HashMap<String, Vec<String>> = HashMap::new();
    for (field, message) in typed.errors {
        match field {
            Some(field) => by_field.entry(field).or_default().push(message),
            None => general_errors.push(message),
        }
    }
    let refused = !by_field.is_empty() || !general_errors.is_empty();
    let mut b = Builder {
        t,
        errors: by_field,
    };
    let mut correction = b.text("correction", "policy.correction", &typed.correction);
    correction.hint = t.s("policy.correction_hint").to_owned();
    let effective_from = b.input(
        "effective_from",
        t.s("policy.effective_from").to_owned(),
        "date",
        &typed.effective_from,
    );

    let mut inputs = b.title("name", "policy.name", &d.name);
    let mut version = b.text("version", "policy.version", &d.version);
    version.hint = t.s("policy.version_hint").to_owned();
    inputs.push(version);
    for (name, key, value) in [
        (
            "setting.hazard_general_days",
            "policy.setting.hazard_general_days",
            &d.hazard_general_days,
        ),
        (
            "setting.hazard_major_days",
            "policy.setting.hazard_major_days",
            &d.hazard_major_days,
        ),
        (
            "setting.hazard_escalate_after_days",
            "policy.setting.hazard_escalate_after_days",
            &d.hazard_escalate_after_days,
        ),
        (
            "setting.equipment_check_days",
            "policy.setting.equipment_check_days",
            &d.equipment_check_days,
        ),
        (
            "setting.follow_up_overdue_days",
            "policy.setting.follow_up_overdue_days",
            &d.follow_up_overdue_days,
        ),
    ] {
        inputs.push(b.number(name, key, value));
    }
    let general = b.section("settings".into(), t.s("policy.settings").to_owned(), inputs);

    let clock_choices: Vec<(String, String)> = d
        .clocks
        .iter()
        .map(|c| (c.id.clone(), title_in(t, &c.title, &c.id)))
        .collect();
    let clocks = d
        .clocks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let f = |name: &str| format!("clock.{i}.{name}");
            let mut inputs = vec![b.input(&f("id"), String::new(), "hidden", &c.id)];
            inputs.extend(b.title(&f("title"), "policy.field.title", &c.title));
            let mut hours = b.number(&f("hours"), "policy.field.hours", &c.hours);
            hours.hint = t.s("policy.hours_hint").to_owned();
            inputs.push(hours);
            b.section(
                format!("clock-{}", c.id),
                title_in(t, &c.title, &c.id),
                inputs,
            )
        })
        .collect();

    let thresholds = d
        .thresholds
        .iter()
        .enumerate()
        .map(|(i, th)| {
            let f = |name: &str| format!("threshold.{i}.{name}");
            let mut inputs = vec![b.input(&f("id"), String::new(), "hidden", &th.id)];
            inputs.extend(b.title(&f("title"), "policy.field.title", &th.title));
            inputs.push(
                b.select(
                    &f("condition"),
                    "policy.field.condition",
                    &th.condition,
                    Condition::ALL
                        .iter()
                        .map(|c| (c.code().to_owned(), t.s(&c.label_key()).to_owned())),
                ),
            );
            inputs.push(
                b.select(
                    &f("group"),
                    "policy.field.group",
                    &th.group,
                    Group::ALL
                        .iter()
                        .map(|g| (g.code().to_owned(), t.s(&g.label_key()).to_owned())),
                ),
            );
            inputs.push(b.number(&f("at_least"), "policy.field.at_least", &th.at_least));
            inputs.push(b.number(
                &f("within_days"),
                "policy.field.within_days",
                &th.within_days,
            ));
            inputs.push(
                b.select(
                    &f("days"),
                    "policy.field.days",
                    &th.days,
                    DayCount::ALL
                        .iter()
                        .map(|c| (c.code().to_owned(), t.s(&c.label_key()).to_owned())),
                ),
            );
            inputs.push(b.select(
                &f("clock"),
                "policy.field.clock",
                &th.clock,
                clock_choices.clone(),
            ));
            b.section(
                format!("threshold-{}", th.id),
                title_in(t, &th.title, &th.id),
                inputs,
            )
        })
        .collect();

    let evidence = evidence_choices(t);
    let obligations = d
        .obligations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let f = |name: &str| format!("obligation.{i}.{name}");
            let mut inputs = vec![b.input(&f("id"), String::new(), "hidden", &o.id)];
            inputs.extend(b.title(&f("title"), "policy.field.title", &o.title));
            let mut rule = b.select(
                &f("rule"),
                "policy.field.rule_kind",
                &o.rule,
                ["every", "at", "on", "in_month"]
                    .map(|r| (r.to_owned(), t.s(&format!("policy.rule_of.{r}")).to_owned())),
            );
            // An obligation-wide mistake (no rule, or two) is on its id's line.
            rule.errors
                .extend(b.errors.remove(&f("id")).unwrap_or_default());
            inputs.push(rule);
            inputs.push(
                b.select(
                    &f("every"),
                    "policy.rule_of.every",
                    &o.every,
                    [
                        "day",
                        "school_day",
                        "week",
                        "month",
                        "quarter",
                        "term",
                        "year",
                    ]
                    .map(|c| (c.to_owned(), t.s(&format!("cadence.{c}")).to_owned())),
                ),
            );
            inputs.push(
                b.select(
                    &f("at"),
                    "policy.rule_of.at",
                    &o.at,
                    ["term_start", "mid_term", "term_end"]
                        .map(|c| (c.to_owned(), t.s(&format!("policy.at.{c}")).to_owned())),
                ),
            );
            inputs.push(b.number(
                &f("window_days"),
                "policy.field.window_days",
                &o.window_days,
            ));
            let mut on = b.text(&f("on"), "policy.rule_of.on", &o.on);
            on.hint = t.s("policy.on_hint").to_owned();
            inputs.push(on);
            inputs.push(b.number(&f("in_month"), "policy.rule_of.in_month", &o.in_month));
            inputs.push(b.number(&f("times"), "policy.field.times", &o.times));
            inputs.push(b.number(&f("grace_days"), "policy.field.grace_days", &o.grace_days));
            inputs.push(b.select(
                &f("role"),
                "work.responsible",
                &o.role,
                Role::ALL.map(|r| (r.code().to_owned(), t.s(&r.label_key()).to_owned())),
            ));
            let applies_errors = b.errors.remove(&f("applies_to")).unwrap_or_default();
            let mut kinds = b.checks(
                &f("kinds"),
                "policy.field.kinds",
                &o.kinds,
                SchoolKind::ALL.map(|k| (k.code().to_owned(), t.s(k.label_key()).to_owned())),
            );
            kinds.hint = t.s("policy.kinds_hint").to_owned();
            kinds.errors = applies_errors;
            inputs.push(kinds);
            inputs.push(b.select(
                &f("boarding"),
                "policy.field.boarding",
                &o.boarding,
                flag_choices(t, "policy.boarding_only", "policy.day_only"),
            ));
            inputs.push(b.select(
                &f("canteen"),
                "policy.field.canteen",
                &o.canteen,
                flag_choices(t, "policy.canteen_only", "policy.no_canteen_only"),
            ));
            let mut chosen = b.checks(
                &f("evidence"),
                "policy.evidence",
                &o.evidence,
                evidence.clone(),
            );
            chosen.hint = t.s("policy.evidence_hint").to_owned();
            inputs.push(chosen);
            let mut serves = b.text(&f("serves"), "policy.field.serves", &o.serves);
            serves.hint = t.s("policy.serves_hint").to_owned();
            inputs.push(serves);
            b.section(o.id.clone(), title_in(t, &o.title, &o.id), inputs)
        })
        .collect();
    // Whatever found no field of its own is still shown.
    let mut other_errors = general_errors;
    other_errors.extend(b.errors.into_values().flatten());
    EditPage {
        c,
        effective_from,
        correction,
        general,
        clocks,
        thresholds,
        obligations,
        other_errors,
        refused,
    }
}

/// A title in the page's language, or the id while it has none.
fn title_in(t: Tr, title: &DraftTitle, id: &str) -> String {
    let text = match t.code() {
        "zh-CN" => &title.zh_cn,
        "en" => &title.en,
        _ => &title.zh_tw,
    };
    if text.trim().is_empty() {
        id.to_owned()
    } else {
        text.clone()
    }
}

/// A version number one higher than `version` ("2026.1" → "2026.2"), or the same text when
/// it does not end in a number.
fn next_version(version: &str) -> String {
    let digits = version.len()
        - version
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
    match version[digits..].parse::<u64>() {
        Ok(n) => format!("{}{}", &version[..digits], n + 1),
        Err(_) => version.to_owned(),
    }
}

/// Renders the form: the policy in force, or a refused submission as typed.
pub async fn render_edit(state: &AppState, user: &CurrentUser, typed: Option<Typed>) -> Response {
    let t = user.t;
    let scope = &user.caller.scope;
    let Some(home) = app::status::home_unit(scope) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    if let Err(e) = app::policy::may_put_in_force(&state.app, scope, home).await {
        return user.fail(e).into_response();
    }
    let status = if typed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let typed = match typed {
        Some(typed) => typed,
        None => {
            let current = match app::policy::in_force(&state.app, scope, home).await {
                Ok(current) => current,
                Err(e) => return user.fail(e).into_response(),
            };
            let mut draft = Draft::from(&current);
            draft.version = next_version(&draft.version);
            Typed {
                draft,
                effective_from: format_date(state.app.today()),
                correction: String::new(),
                errors: Vec::new(),
            }
        }
    };
    let page = build(Chrome::new(&user.caller, t, "policy"), typed);
    (status, render(&page)).into_response()
}

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Response {
    render_edit(&state, &user, None).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_next_version_counts_up() {
        assert_eq!(super::next_version("2026.1"), "2026.2");
        assert_eq!(super::next_version("v9"), "v10");
        assert_eq!(super::next_version("draft"), "draft");
    }
}
