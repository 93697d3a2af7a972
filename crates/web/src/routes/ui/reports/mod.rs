//! The monthly report (R-HZD-2): a school's reports and the form to prepare one; the central
//! school's view of who has submitted; one report, printable; confirming it.

pub mod confirm;
pub mod list;
pub mod prepare;
pub mod show;

use crate::i18n::Tr;
use domain::report::MonthlyReport;

/// The kind of report in words: a zero report or a report.
pub fn kind_label(t: Tr, r: &MonthlyReport) -> &'static str {
    if r.is_zero() {
        t.s("report.zero")
    } else {
        t.s("report.with_findings")
    }
}
