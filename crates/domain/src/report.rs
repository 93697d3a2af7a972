//! The monthly report to the central school (R-HZD-2): what the month's inspections found,
//! closed and left open — a zero report (零報告) when nothing was found — prepared by the
//! safety officer, confirmed by the principal. A confirmed report never changes: a
//! correction is a new version and both stay.

use crate::calendar::YearMonth;
use crate::evidence::{AsEvidence, Evidence};
use crate::ids::{OrgUnitId, ReportId};
use serde::{Deserialize, Serialize};
use time::Date;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Prepared, waiting for the principal.
    Draft,
    /// Confirmed and sent to the central school; it never changes.
    Submitted,
}

impl ReportState {
    pub const ALL: [ReportState; 2] = [ReportState::Draft, ReportState::Submitted];

    pub fn code(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The month's figures, counted from the records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub inspections: u32,
    pub hazards_found: u32,
    pub hazards_closed: u32,
    /// Open at the end of the month (found then or before).
    pub hazards_open: u32,
}

/// A stored report (one version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyReport {
    pub id: ReportId,
    pub school_id: OrgUnitId,
    pub school_path: String,
    pub month: YearMonth,
    pub version: u32,
    pub state: ReportState,
    pub figures: Figures,
    pub summary: Option<String>,
    pub prepared_by: String,
    pub prepared_on: Date,
    pub confirmed_by: Option<String>,
    pub confirmed_on: Option<Date>,
}

impl MonthlyReport {
    /// Nothing found in the month: a zero report.
    pub fn is_zero(&self) -> bool {
        self.figures.hazards_found == 0
    }
}

impl AsEvidence for MonthlyReport {
    fn evidence(&self) -> Evidence {
        let (_, last) = self.month.bounds();
        Evidence {
            kind: "monthly_report".into(),
            subtype: None,
            on: self.confirmed_on.unwrap_or(self.prepared_on),
            about: Some(last),
            record: format!("reports/{}", self.id),
            title: format!("{} v{}", self.month.code(), self.version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_parse_and_step_back() {
        let m = YearMonth::parse("2026-01").unwrap();
        assert_eq!(m.previous().code(), "2025-12");
        assert_eq!(m.bounds().1, date!(2026 - 01 - 31));
        assert!(YearMonth::parse("2026-13").is_none());
    }
}
