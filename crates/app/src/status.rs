//! Where every school stands (R-POL-2): the engine run over the schools under a unit for a
//! span of days, with the calendars, policy versions and evidence it needs, loaded once.

use crate::{App, Result};
use domain::calendar::{CalendarBook, SchoolCalendar};
use domain::engine::{EvidenceSet, ObligationState, PolicyHistory, Question, periods};
use domain::ids::OrgUnitId;
use domain::org::{OrgUnit, SchoolProfile};
use domain::policy::Policy;
use domain::scope::Scope;
use std::collections::HashMap;
use time::{Date, Duration};

/// Everything the engine needs for the schools under one unit over a span of days.
pub struct Board {
    /// The unit asked about.
    pub unit: OrgUnit,
    /// The schools under it (itself, when it is a school), in tree order.
    pub schools: Vec<OrgUnit>,
    pub from: Date,
    pub to: Date,
    pub today: Date,
    history: PolicyHistory,
    book: CalendarBook,
    evidence: HashMap<OrgUnitId, EvidenceSet>,
    empty: EvidenceSet,
}

const NO_PROFILE: SchoolProfile = SchoolProfile {
    kind: domain::org::SchoolKind::Primary,
    boarding: false,
    has_canteen: false,
};

impl Board {
    /// The calendar a school follows.
    pub fn calendar_of(&self, school: &OrgUnit) -> SchoolCalendar {
        self.book.for_school(&school.path)
    }

    /// The version in force at the end of the span (for titles and columns).
    pub fn policy(&self) -> Option<&Policy> {
        self.history
            .in_force(self.to.min(self.today).max(self.from))
    }

    /// The records of one school dated within the span, in date order.
    pub fn records(&self, school: &OrgUnit) -> Vec<&domain::evidence::Evidence> {
        let mut records: Vec<_> = self
            .evidence
            .get(&school.id)
            .map(|set| {
                set.iter()
                    .filter(|e| e.on >= self.from && e.on <= self.to)
                    .collect()
            })
            .unwrap_or_default();
        records.sort_by_key(|e| e.on);
        records
    }

    /// The policy in force today (the shipped default when none was set).
    pub fn policy_today(&self) -> Option<&domain::policy::Policy> {
        self.history.in_force(self.today)
    }

    /// Every obligation's state for one school of the board.
    pub fn states<'b>(
        &'b self,
        school: &'b OrgUnit,
        calendar: &'b SchoolCalendar,
    ) -> Vec<ObligationState<'b>> {
        let profile = school.school.as_ref().unwrap_or(&NO_PROFILE);
        let q = Question {
            school: profile,
            calendar,
            from: self.from,
            to: self.to,
            today: self.today,
        };
        let evidence = self.evidence.get(&school.id).unwrap_or(&self.empty);
        self.history.evaluate(&q, evidence)
    }
}

/// Loads the board of `unit_id` from `from` to `to`.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn board(
    app: &App,
    scope: &Scope,
    unit_id: OrgUnitId,
    from: Date,
    to: Date,
) -> Result<Board> {
    ground(app, scope, unit_id)
        .await?
        .board(app, scope, from, to)
        .await
}

/// What a board stands on before its span is known: the unit, its schools, the policy
/// versions and the calendars (a page that derives its span from the calendar reads them once).
pub struct Ground {
    pub unit: OrgUnit,
    pub schools: Vec<OrgUnit>,
    pub history: PolicyHistory,
    pub book: CalendarBook,
}

/// Loads the ground of `unit_id`.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id))]
pub async fn ground(app: &App, scope: &Scope, unit_id: OrgUnitId) -> Result<Ground> {
    let unit = app.db.unit(scope, unit_id).await?;
    let schools = app.db.schools_under(scope, &unit).await?;
    let history = crate::policy::history(app, scope, &unit).await?;
    let book = app.db.calendar_book(scope, &unit).await?;
    Ok(Ground {
        unit,
        schools,
        history,
        book,
    })
}

impl Ground {
    /// The board from `from` to `to`: the evidence its periods need, read once.
    pub async fn board(self, app: &App, scope: &Scope, from: Date, to: Date) -> Result<Board> {
        let Ground {
            unit,
            schools,
            history,
            book,
        } = self;
        let today = app.today();
        // Periods may begin before the span and take records until their deadline after it.
        let (mut lo, mut hi) = (from, to);
        if let Some(policy) = history.in_force(from) {
            let mut seen = std::collections::HashSet::new();
            for school in &schools {
                let source = book.source_of(&school.path).unwrap_or_default().to_owned();
                if !seen.insert(source) {
                    continue;
                }
                let calendar = book.for_school(&school.path);
                let profile = school.school.as_ref().unwrap_or(&NO_PROFILE);
                let q = Question {
                    school: profile,
                    calendar: &calendar,
                    from,
                    to,
                    today,
                };
                for o in &policy.obligations {
                    for (s, e) in periods(o.cadence, &q) {
                        lo = lo.min(s);
                        hi = hi.max(e + Duration::days(i64::from(o.grace_days)));
                    }
                }
            }
        }
        let mut by_school: HashMap<OrgUnitId, Vec<domain::evidence::Evidence>> = HashMap::new();
        for (school, e) in app.db.evidence_under(scope, &unit, lo, hi).await? {
            by_school.entry(school).or_default().push(e);
        }
        Ok(Board {
            unit,
            schools,
            from,
            to,
            today,
            history,
            book,
            evidence: by_school
                .into_iter()
                .map(|(k, v)| (k, EvidenceSet::new(v)))
                .collect(),
            empty: EvidenceSet::default(),
        })
    }
}

/// The unit a caller works at: what the first role of theirs reaches (a teacher's school,
/// not their class).
pub fn home_unit(scope: &Scope) -> Option<OrgUnitId> {
    let grant = scope.grants().first()?;
    grant
        .reach_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
}
