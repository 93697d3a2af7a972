//! The home page's work section (R-POL-2, issue 8): the inbox app computes — for a person
//! at a school, every step that waits on them, overdue first; for a supervisor, which
//! schools are behind this month — put in the reader's words.

use super::{StatusBadge, badge_on};
use crate::AppState;
use crate::i18n::Tr;
use app::auth::Caller;
use app::inbox::WorkItem as Item;
use domain::calendar::format_date;

/// One thing I must do.
pub struct WorkItem {
    pub title: String,
    pub badge: StatusBadge,
    pub deadline: String,
    pub this_week: bool,
    pub href: String,
}

/// A school that is behind.
pub struct BehindSchool {
    pub id: String,
    pub name: String,
    /// How many obligations are missed or overdue.
    pub count: usize,
    /// The obligations it is behind on, by title.
    pub late: String,
    /// The obligations still open that fall due by the end of the month.
    pub soon: String,
}

/// The work section of the home page.
#[derive(Default)]
pub struct WorkSection {
    pub unit_id: String,
    pub items: Vec<WorkItem>,
    pub behind: Vec<BehindSchool>,
    pub is_supervisor: bool,
    pub schools_total: usize,
}

fn item(t: Tr, today: time::Date, item: &Item) -> WorkItem {
    WorkItem {
        title: item.step.title(t),
        badge: badge_on(t, item.status, item.deadline, today),
        deadline: item.deadline.map(format_date).unwrap_or_default(),
        this_week: item.this_week,
        href: item.href.clone(),
    }
}

/// Computes the section; `None` when the caller has no home unit.
pub async fn my_work(
    state: &AppState,
    caller: &Caller,
    t: Tr,
) -> Result<Option<WorkSection>, app::Error> {
    let inbox = app::inbox::inbox(&state.app, caller).await?;
    let Some(unit_id) = inbox.unit_id else {
        return Ok(None);
    };
    let today = state.app.today();
    let join =
        |titles: &[domain::policy::Title]| t.join(titles.iter().map(|title| title.get(t.code())));
    Ok(Some(WorkSection {
        unit_id: unit_id.to_string(),
        items: inbox.items.iter().map(|i| item(t, today, i)).collect(),
        behind: inbox
            .behind
            .iter()
            .map(|b| BehindSchool {
                id: b.id.to_string(),
                name: b.name.clone(),
                count: b.late.len(),
                late: join(&b.late),
                soon: join(&b.soon),
            })
            .collect(),
        is_supervisor: inbox.is_supervisor,
        schools_total: inbox.schools_total,
    }))
}
