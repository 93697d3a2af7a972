//! The school-year calendar (R-CAL-1): terms with start, mid-term and end dates, holidays,
//! and what a "school day" is — a day in term that is not a holiday or a weekend.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

/// The format of every date the calendar reads and writes: `2026-09-01`.
pub const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parses `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw.trim(), DATE_FORMAT).ok()
}

/// Formats as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    date.format(DATE_FORMAT).unwrap_or_default()
}

/// One term (學期) of a school year (學年).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The school year it belongs to, named by its first calendar year (2026 = 2026–2027).
    pub school_year: i32,
    /// 1 for the autumn term (上學期), 2 for the spring term (下學期).
    pub number: u8,
    pub starts: Date,
    pub mid: Date,
    pub ends: Date,
}

impl Term {
    /// Parses a term from form fields, checking that start ≤ mid-term ≤ end.
    pub fn parse(
        school_year: &str,
        number: &str,
        starts: &str,
        mid: &str,
        ends: &str,
    ) -> Result<Term, Invalid> {
        let mut errors = Invalid::default();
        let year = school_year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            errors.push("school_year", "error.school_year");
        }
        let number = number
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=2).contains(n));
        if number.is_none() {
            errors.push("number", "error.choose_one");
        }
        let mut date = |field: &'static str, raw: &str| {
            let parsed = parse_date(raw);
            if parsed.is_none() {
                errors.push(field, "error.date");
            }
            parsed
        };
        let (starts, mid, ends) = (date("starts", starts), date("mid", mid), date("ends", ends));
        if let (Some(s), Some(m), Some(e)) = (starts, mid, ends)
            && !(s < m && m < e)
        {
            errors.push("mid", "error.term_order");
        }
        errors.into_result()?;
        match (year, number, starts, mid, ends) {
            (Some(school_year), Some(number), Some(starts), Some(mid), Some(ends)) => Ok(Term {
                school_year,
                number,
                starts,
                mid,
                ends,
            }),
            _ => Err(Invalid::default()),
        }
    }

    pub fn contains(&self, date: Date) -> bool {
        self.starts <= date && date <= self.ends
    }

    /// The i18n-independent short name, `2026-1`.
    pub fn code(&self) -> String {
        format!("{}-{}", self.school_year, self.number)
    }
}

/// A holiday: one day or a span of days with no school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub starts: Date,
    pub ends: Date,
    pub name: String,
}

impl Holiday {
    pub fn parse(starts: &str, ends: &str, name: &str) -> Result<Holiday, Invalid> {
        let mut errors = Invalid::default();
        let name = errors.take(crate::error::bounded_text("name", name, 40));
        let starts_at = parse_date(starts);
        if starts_at.is_none() {
            errors.push("starts", "error.date");
        }
        // An empty end means a one-day holiday.
        let ends_at = if ends.trim().is_empty() {
            starts_at
        } else {
            parse_date(ends)
        };
        if ends_at.is_none() && starts_at.is_some() {
            errors.push("ends", "error.date");
        }
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e < s
        {
            errors.push("ends", "error.date_order");
        }
        errors.into_result()?;
        match (starts_at, ends_at, name) {
            (Some(starts), Some(ends), Some(name)) => Ok(Holiday { starts, ends, name }),
            _ => Err(Invalid::default()),
        }
    }
}

/// The calendar a school follows: the county's, or its own where it differs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCalendar {
    /// Terms in date order.
    pub terms: Vec<Term>,
    pub holidays: Vec<Holiday>,
}

impl SchoolCalendar {
    pub fn new(mut terms: Vec<Term>, holidays: Vec<Holiday>) -> Self {
        terms.sort_by_key(|t| t.starts);
        Self { terms, holidays }
    }

    /// The term a date falls in.
    pub fn term_on(&self, date: Date) -> Option<&Term> {
        self.terms.iter().find(|t| t.contains(date))
    }

    /// The term a date falls in, or the next one to start (during a vacation).
    pub fn current_or_next_term(&self, date: Date) -> Option<&Term> {
        self.term_on(date)
            .or_else(|| self.terms.iter().find(|t| t.starts > date))
            .or_else(|| self.terms.last())
    }

    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays
            .iter()
            .any(|h| h.starts <= date && date <= h.ends)
    }

    /// A day in term, Monday to Friday, that is not a holiday.
    pub fn is_school_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && self.term_on(date).is_some()
            && !self.is_holiday(date)
    }

    /// The school days from `from` to `to`, both included.
    pub fn school_days(&self, from: Date, to: Date) -> impl Iterator<Item = Date> + '_ {
        days(from, to).filter(|d| self.is_school_day(*d))
    }
}

/// Terms and holidays as defined on units (by path): the county's on the bureau, a
/// school's own where it differs. A school follows the nearest unit on its path that has
/// terms (R-CAL-1: "the bureau sets the county calendar, a school can differ").
#[derive(Debug, Clone, Default)]
pub struct CalendarBook {
    pub terms: Vec<(String, Term)>,
    pub holidays: Vec<(String, Holiday)>,
}

impl CalendarBook {
    /// The path of the unit whose calendar `school_path` follows.
    pub fn source_of(&self, school_path: &str) -> Option<&str> {
        self.terms
            .iter()
            .map(|(path, _)| path.as_str())
            .filter(|path| school_path.starts_with(path))
            .max_by_key(|path| path.len())
    }

    pub fn for_school(&self, school_path: &str) -> SchoolCalendar {
        let Some(source) = self.source_of(school_path) else {
            return SchoolCalendar::default();
        };
        SchoolCalendar::new(
            self.terms
                .iter()
                .filter(|(p, _)| p == source)
                .map(|(_, t)| t.clone())
                .collect(),
            self.holidays
                .iter()
                .filter(|(p, _)| p == source)
                .map(|(_, h)| h.clone())
                .collect(),
        )
    }
}

/// A calendar month, `2026-11` (also in JSON): the span of a month view, of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct YearMonth {
    pub year: i32,
    pub month: Month,
}

impl YearMonth {
    pub fn parse(raw: &str) -> Option<Self> {
        let (y, m) = raw.trim().split_once('-')?;
        let year = y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))?;
        let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
        Some(Self { year, month })
    }

    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month as u8)
    }

    pub fn bounds(self) -> (Date, Date) {
        month_bounds(self.year, self.month)
    }

    pub fn previous(self) -> Self {
        let (first, _) = self.bounds();
        Self::of(first.previous_day().unwrap_or(first))
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> String {
        m.code()
    }
}

impl TryFrom<String> for YearMonth {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        YearMonth::parse(&raw).ok_or_else(|| format!("not a month: {raw}"))
    }
}

/// Every day from `from` to `to`, both included.
pub fn days(from: Date, to: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(from), |d| d.next_day()).take_while(move |d| *d <= to)
}

/// The first and last day of a month.
pub fn month_bounds(year: i32, month: time::Month) -> (Date, Date) {
    let first = Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN);
    let last = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn autumn() -> Term {
        Term::parse("2026", "1", "2026-09-01", "2026-11-09", "2027-01-22").unwrap()
    }

    #[test]
    fn a_school_day_is_in_term_on_a_weekday_and_not_a_holiday() {
        let calendar = SchoolCalendar::new(
            vec![autumn()],
            vec![Holiday::parse("2026-10-01", "2026-10-07", "國慶").unwrap()],
        );
        assert!(calendar.is_school_day(date!(2026 - 09 - 01)));
        assert!(!calendar.is_school_day(date!(2026 - 09 - 05)), "a Saturday");
        assert!(!calendar.is_school_day(date!(2026 - 10 - 02)), "a holiday");
        assert!(
            !calendar.is_school_day(date!(2026 - 08 - 31)),
            "before term"
        );
        assert_eq!(
            calendar
                .school_days(date!(2026 - 09 - 28), date!(2026 - 10 - 09))
                .count(),
            5
        );
    }

    #[test]
    fn a_term_must_run_forward() {
        let err = Term::parse("2026", "1", "2026-09-01", "2026-08-01", "2027-01-22").unwrap_err();
        assert_eq!(err.message_for("mid"), Some("error.term_order"));
        let err = Term::parse("year", "3", "x", "2026-08-01", "2027-01-22").unwrap_err();
        assert_eq!(err.message_for("school_year"), Some("error.school_year"));
        assert_eq!(err.message_for("number"), Some("error.choose_one"));
        assert_eq!(err.message_for("starts"), Some("error.date"));
    }

    #[test]
    fn a_school_can_keep_its_own_calendar() {
        let book = CalendarBook {
            terms: vec![
                ("/b/".into(), autumn()),
                (
                    "/b/k/".into(),
                    Term::parse("2026", "1", "2026-09-07", "2026-11-09", "2027-01-15").unwrap(),
                ),
            ],
            holidays: vec![(
                "/b/".into(),
                Holiday::parse("2026-10-01", "", "國慶").unwrap(),
            )],
        };
        assert_eq!(
            book.for_school("/b/s/").terms[0].starts,
            date!(2026 - 09 - 01)
        );
        assert_eq!(book.for_school("/b/s/").holidays.len(), 1);
        assert_eq!(
            book.for_school("/b/k/").terms[0].starts,
            date!(2026 - 09 - 07)
        );
        assert!(book.for_school("/x/").terms.is_empty());
    }

    #[test]
    fn a_one_day_holiday_needs_no_end() {
        let h = Holiday::parse("2027-01-01", "", "元旦").unwrap();
        assert_eq!(h.starts, h.ends);
        assert!(Holiday::parse("2027-01-02", "2027-01-01", "x").is_err());
    }
}
