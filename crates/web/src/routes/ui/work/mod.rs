//! Obligations at work (R-POL-2, R-CAL-1): a school's month calendar, the supervisors'
//! matrix and its export, the span they cover and how a state is shown.

pub mod calendar;
pub mod matrix;
pub mod matrix_xlsx;
pub mod my_work;

use crate::i18n::Tr;
use domain::calendar::YearMonth;
use domain::calendar::{SchoolCalendar, format_date};
use domain::engine::Status;
use domain::evidence::{Evidence, kind_of};
use domain::policy::Obligation;
use serde::Deserialize;
use time::Date;

/// How a state is shown: a class for its colour, a symbol and a word.
pub struct StatusBadge {
    pub code: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
}

pub fn badge(t: Tr, status: Status) -> StatusBadge {
    let symbol = match status {
        Status::Done => "✓",
        Status::DoneLate => "✓!",
        Status::Due => "●",
        Status::Overdue => "!",
        Status::Missed => "✗",
        Status::Upcoming => "○",
        Status::NotDue | Status::NotApplicable => "·",
        Status::NotTracked => "…",
    };
    StatusBadge {
        code: status.code(),
        symbol,
        label: t.s(&status.label_key()),
    }
}

/// A state with its deadline in words: work due is "due today" on its deadline and "due
/// soon" when the deadline falls this week (Monday to Sunday); otherwise as `badge`.
pub fn badge_on(t: Tr, status: Status, deadline: Option<Date>, today: Date) -> StatusBadge {
    let mut shown = badge(t, status);
    if status == Status::Due
        && let Some(deadline) = deadline
    {
        let week_end = domain::engine::week_start(today) + time::Duration::days(6);
        if deadline == today {
            shown.label = t.s("status.due_today");
        } else if deadline <= week_end {
            shown.label = t.s("status.due_soon");
        }
    }
    shown
}

/// The title of an obligation in the reader's language.
pub fn title(t: Tr, obligation: &Obligation) -> String {
    obligation.title.get(t.code()).to_owned()
}

/// A record as a link: its title and page.
pub struct RecordLink {
    pub on: String,
    pub title: String,
    pub kind: String,
    pub href: String,
}

pub fn record_link(t: Tr, e: &Evidence) -> RecordLink {
    let kind = kind_of(&e.kind).map_or_else(|| e.kind.clone(), |k| t.s(&k.label_key()).to_owned());
    RecordLink {
        on: format_date(e.on),
        title: e.title.clone(),
        kind,
        // A record names its page: `activities/<id>` is at `/activities/<id>`.
        href: format!("/{}", e.record),
    }
}

/// The span a page covers, as asked in the query: a month (`?month=2026-11`, the current
/// month by default) or the current term (`?span=term`).
#[derive(Deserialize, Default, Clone)]
pub struct SpanQuery {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub span: String,
}

/// A resolved span.
pub struct Span {
    pub from: Date,
    pub to: Date,
    /// `2026-11` for a month span.
    pub month: Option<String>,
    pub is_term: bool,
    /// The query string that asks for this span again.
    pub query: String,
}

impl Span {
    pub fn resolve(q: &SpanQuery, today: Date, calendar: &SchoolCalendar) -> Span {
        if q.span == "term"
            && let Some(term) = calendar.current_or_next_term(today)
        {
            return Span {
                from: term.starts,
                to: term.ends,
                month: None,
                is_term: true,
                query: "span=term".into(),
            };
        }
        let month = YearMonth::parse(&q.month).unwrap_or_else(|| YearMonth::of(today));
        let (from, to) = month.bounds();
        let code = month.code();
        Span {
            from,
            to,
            query: format!("month={code}"),
            month: Some(code),
            is_term: false,
        }
    }

    /// The months before and after a month span.
    pub fn neighbours(&self) -> Option<(String, String)> {
        self.month.as_ref()?;
        let prev = self.from.previous_day()?;
        let next = self.to.next_day()?;
        Some((YearMonth::of(prev).code(), YearMonth::of(next).code()))
    }

    pub fn label(&self) -> String {
        format!("{} – {}", format_date(self.from), format_date(self.to))
    }
}

/// Loads the board of a unit for the span asked.
pub async fn load(
    state: &crate::AppState,
    user: &crate::session::CurrentUser,
    id: domain::ids::OrgUnitId,
    q: &SpanQuery,
) -> Result<(app::status::Board, Span), app::Error> {
    let scope = &user.caller.scope;
    let ground = app::status::ground(&state.app, scope, id).await?;
    let calendar = ground.book.for_school(&ground.unit.path);
    let span = Span::resolve(q, state.app.today(), &calendar);
    let board = ground.board(&state.app, scope, span.from, span.to).await?;
    Ok((board, span))
}
