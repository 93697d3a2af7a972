//! The hazard ledger (隱患台賬, R-HZD-3, issue 8): the hazards of the schools under a unit,
//! filtered by school, found-on dates, category, state, severity, place and overdue. The
//! filters are parsed against what the caller may see; a bad one is refused with the value
//! and the accepted form, never answered with an empty list. The page, its print, the
//! export and the API all read this.

use crate::{App, Error, Result};
use domain::Invalid;
use domain::calendar::parse_date;
use domain::hazard::{Category, Hazard, HazardState, Severity};
use domain::ids::OrgUnitId;
use domain::org::{OrgUnit, UnitKind};
use domain::scope::Scope;
use serde::{Deserialize, Serialize};
use store::{HazardFilter, LedgerTotals};

/// The ledger's filters as typed (the page's query string, the export's and the API's).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LedgerQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<String>,
    /// A school's id.
    #[serde(default)]
    pub school: String,
    /// Found on or after this day (`2026-09-01`).
    #[serde(default)]
    pub from: String,
    /// Found on or before this day.
    #[serde(default)]
    pub to: String,
    /// A `Category` code.
    #[serde(default)]
    pub category: String,
}

/// How many lines a read returns at most.
#[derive(Debug, Clone, Copy)]
pub enum Lines {
    /// A page: the totals count them all, the filters narrow them.
    Page,
    /// An export or the API: every matching hazard.
    All,
}

impl Lines {
    fn limit(self) -> i64 {
        match self {
            Lines::Page => 1000,
            Lines::All => 200_000,
        }
    }
}

impl LedgerQuery {
    /// The filter the query asks for, or every field that did not parse. `schools` are the
    /// schools the caller may see under the ledger's unit.
    pub fn parse(
        &self,
        today: time::Date,
        schools: &[OrgUnit],
        lines: Lines,
    ) -> std::result::Result<HazardFilter, Invalid> {
        let mut errors = Invalid::default();
        let mut code = |field: &'static str, raw: &str, known: bool| {
            if !raw.trim().is_empty() && !known {
                errors.push_value(field, message_of(field), raw.trim());
            }
        };
        let state = self.state.trim();
        let open = state == "open";
        let state_code = HazardState::parse(state);
        code("state", state, open || state_code.is_some());
        let severity = Severity::parse(self.severity.trim());
        code("severity", &self.severity, severity.is_some());
        let category = Category::parse(self.category.trim());
        code("category", &self.category, category.is_some());
        let school = schools
            .iter()
            .find(|s| s.id.to_string() == self.school.trim())
            .map(|s| s.id);
        code("school", &self.school, school.is_some());
        let from = day(&mut errors, "from", &self.from);
        let to = day(&mut errors, "to", &self.to);
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.push_value("to", "ledger.error.to_before_from", self.to.trim());
        }
        errors.into_result()?;
        Ok(HazardFilter {
            open,
            state: state_code,
            severity,
            overdue_on: self
                .overdue
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|_| today),
            place: Some(self.place.trim().to_owned()).filter(|p| !p.is_empty()),
            school,
            category,
            from,
            to,
            limit: lines.limit(),
            ..HazardFilter::default()
        })
    }
}

fn message_of(field: &str) -> &'static str {
    match field {
        "state" => "ledger.error.state",
        "severity" => "ledger.error.severity",
        "category" => "ledger.error.category",
        _ => "ledger.error.school",
    }
}

/// An optional day in `YYYY-MM-DD`; a refused one is recorded in `errors`.
fn day(errors: &mut Invalid, field: &'static str, raw: &str) -> Option<time::Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = parse_date(raw);
    if parsed.is_none() {
        errors.push_value(field, "ledger.error.date", raw);
    }
    parsed
}

/// A ledger as read: its unit, the schools it may be filtered by, and the lines — or why
/// the filters were refused (then nothing is listed).
pub struct Ledger {
    pub unit: OrgUnit,
    /// The schools under the unit that the caller may see, by name.
    pub schools: Vec<OrgUnit>,
    pub found: std::result::Result<Found, Invalid>,
}

/// What a valid filter found.
pub struct Found {
    pub filter: HazardFilter,
    pub hazards: Vec<Hazard>,
}

impl Ledger {
    /// The school name of a line.
    pub fn school_name(&self, id: OrgUnitId) -> &str {
        self.schools
            .iter()
            .find(|s| s.id == id)
            .map_or("", |s| s.name.as_str())
    }

    /// The lines, or the refused filters as an error (the export and the API).
    pub fn into_found(self) -> Result<(Ledger, Found)> {
        match self.found {
            Ok(found) => Ok((
                Ledger {
                    found: Err(Invalid::default()),
                    ..self
                },
                found,
            )),
            Err(invalid) => Err(Error::Invalid(invalid)),
        }
    }
}

/// The ledger of the schools under `unit_id` that `query` asks for.
pub async fn read(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    query: &LedgerQuery,
    lines: Lines,
) -> Result<Ledger> {
    let unit = app.db.unit(scope, unit_id).await?;
    let mut schools: Vec<OrgUnit> = app
        .db
        .units_under(scope, &unit)
        .await?
        .into_iter()
        .filter(|u| u.kind == UnitKind::School)
        .collect();
    schools.sort_by(|a, b| a.name.cmp(&b.name));
    let found = match query.parse(app.today(), &schools, lines) {
        Ok(filter) => {
            let hazards = app.db.hazards(scope, &unit, &filter).await?;
            Ok(Found { filter, hazards })
        }
        Err(invalid) => Err(invalid),
    };
    Ok(Ledger {
        unit,
        schools,
        found,
    })
}

/// The totals of everything a filter matches (not only the lines shown), and the hazards
/// found and closed per month over the last year.
pub async fn overview(
    app: &App,
    scope: &Scope,
    unit: &OrgUnit,
    filter: &HazardFilter,
) -> Result<(LedgerTotals, Vec<(String, i64, i64)>)> {
    let today = app.today();
    let year_ago = today - time::Duration::days(365);
    let (totals, trend) = tokio::join!(
        app.db.hazard_totals(scope, unit, filter, today),
        app.db.hazard_trend(scope, unit, year_ago),
    );
    Ok((totals?, trend?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn school(name: &str) -> OrgUnit {
        let id = OrgUnitId::new();
        OrgUnit {
            id,
            parent_id: None,
            kind: UnitKind::School,
            name: name.to_owned(),
            path: domain::unit_path::UnitPath::root(id),
            school: None,
            time_zone: None,
        }
    }

    const TODAY: time::Date = date!(2026 - 12 - 02);

    #[test]
    fn every_filter_reads_into_the_store_filter() {
        let schools = [school("東山小學"), school("西河中學")];
        let q = LedgerQuery {
            school: schools[1].id.to_string(),
            from: "2026-09-01".into(),
            to: " 2026-12-31 ".into(),
            category: "fire".into(),
            state: "open".into(),
            overdue: Some("1".into()),
            ..LedgerQuery::default()
        };
        let f = q.parse(TODAY, &schools, Lines::Page).unwrap();
        assert_eq!(f.school, Some(schools[1].id));
        assert_eq!(f.from, Some(date!(2026 - 09 - 01)));
        assert_eq!(f.to, Some(date!(2026 - 12 - 31)));
        assert_eq!(f.category, Some(Category::Fire));
        assert!(f.open);
        assert_eq!(f.overdue_on, Some(TODAY));
    }

    #[test]
    fn bad_values_are_named_never_an_empty_list() {
        let schools = [school("東山小學")];
        let q = LedgerQuery {
            school: OrgUnitId::new().to_string(),
            from: "2026-13-40".into(),
            category: "weather".into(),
            severity: "huge".into(),
            ..LedgerQuery::default()
        };
        let err = q.parse(TODAY, &schools, Lines::Page).unwrap_err();
        let value = |field: &str| {
            err.0
                .iter()
                .find(|e| e.field == field)
                .and_then(|e| e.value.clone())
        };
        assert_eq!(value("from").as_deref(), Some("2026-13-40"));
        assert_eq!(value("category").as_deref(), Some("weather"));
        assert_eq!(value("severity").as_deref(), Some("huge"));
        assert_eq!(err.message_for("school"), Some("ledger.error.school"));
        let backwards = LedgerQuery {
            from: "2026-12-01".into(),
            to: "2026-11-01".into(),
            ..LedgerQuery::default()
        };
        let err = backwards.parse(TODAY, &schools, Lines::Page).unwrap_err();
        assert_eq!(err.message_for("to"), Some("ledger.error.to_before_from"));
    }
}
