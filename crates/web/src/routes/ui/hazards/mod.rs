//! Hazards (R-HZD-1..6): the ledger with its export, reporting one, a hazard's page with its
//! steps, and taking a step.

pub mod ledger;
pub mod ledger_xlsx;
pub mod report;
pub mod report_form;
pub mod show;
pub mod step;

use crate::i18n::Tr;
use domain::calendar::format_date;
use domain::hazard::Hazard;

/// A hazard as a ledger line.
pub struct HazardLine {
    pub id: String,
    pub school_name: String,
    pub place: String,
    pub description: String,
    pub severity_code: &'static str,
    pub severity: &'static str,
    /// The category's name, empty when the hazard has none.
    pub category: &'static str,
    pub state_code: &'static str,
    pub state: &'static str,
    pub responsible: String,
    pub deadline: String,
    pub overdue: bool,
    pub reported_on: String,
    pub reported_by: String,
    pub closed_on: String,
}

pub fn line(t: Tr, h: &Hazard, school_name: &str, today: time::Date) -> HazardLine {
    HazardLine {
        id: h.id.to_string(),
        school_name: school_name.to_owned(),
        place: h.place.clone(),
        description: h.description.clone(),
        severity_code: h.severity.code(),
        severity: t.s(&h.severity.label_key()),
        category: h.category.map_or("", |c| t.s(&c.label_key())),
        state_code: h.state.code(),
        state: t.s(&h.state.label_key()),
        responsible: h.responsible_name.clone().unwrap_or_default(),
        deadline: h.deadline.map(format_date).unwrap_or_default(),
        overdue: h.is_overdue(today),
        reported_on: format_date(h.reported_on),
        reported_by: h.reported_by.clone(),
        closed_on: h.closed_on.map(format_date).unwrap_or_default(),
    }
}
