//! The demo county's school-year calendar and a term of records (R-CAL-1, R-MTG-1,
//! R-EMG-2), dated around today, so that the calendar, "my work" and the supervisors'
//! matrix show schools on track and schools behind from the first minute.

use crate::Result;
use domain::activity::Activity;
use domain::calendar::{Holiday, Term, days};
use domain::checklist::AnswerKind;
use domain::ids::{ActivityId, InspectionId};
use domain::inspection::{Answer, Inspection, ItemAnswer};
use domain::org::{OrgUnit, SchoolKind};
use store::Write;
use time::{Date, Duration, Month};

fn date(year: i32, month: u8, day: u8) -> Date {
    Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, day).ok())
        .unwrap_or(Date::MIN)
}

fn term(school_year: i32, number: u8, starts: Date, mid: Date, ends: Date) -> Term {
    Term {
        school_year,
        number,
        starts,
        mid,
        ends,
    }
}

fn holiday(starts: Date, ends: Date, name: &str) -> Holiday {
    Holiday {
        starts,
        ends,
        name: name.to_owned(),
    }
}

/// The school year holding `today`: it starts in August.
pub fn school_year_of(today: Date) -> i32 {
    if today.month() as u8 >= 8 {
        today.year()
    } else {
        today.year() - 1
    }
}

/// The county calendar on the bureau; the kindergarten keeps its own.
pub async fn calendars(
    w: &mut Write<'_>,
    bureau: &OrgUnit,
    schools: &[OrgUnit],
    today: Date,
) -> Result<()> {
    let y = school_year_of(today);
    let county = [
        term(y - 1, 2, date(y, 2, 23), date(y, 4, 20), date(y, 7, 3)),
        term(y, 1, date(y, 9, 1), date(y, 11, 9), date(y + 1, 1, 22)),
        term(
            y,
            2,
            date(y + 1, 2, 22),
            date(y + 1, 4, 19),
            date(y + 1, 7, 2),
        ),
    ];
    let holidays = [
        holiday(date(y, 4, 4), date(y, 4, 6), "清明節"),
        holiday(date(y, 5, 1), date(y, 5, 5), "勞動節"),
        holiday(date(y, 10, 1), date(y, 10, 7), "國慶日"),
        holiday(date(y + 1, 1, 1), date(y + 1, 1, 1), "元旦"),
        holiday(date(y + 1, 4, 5), date(y + 1, 4, 5), "清明節"),
        holiday(date(y + 1, 5, 1), date(y + 1, 5, 5), "勞動節"),
    ];
    for t in &county {
        w.add_term(bureau, t).await?;
    }
    for h in &holidays {
        w.add_holiday(bureau, h).await?;
    }
    let kindergartens = schools
        .iter()
        .filter(|s| s.school.is_some_and(|p| p.kind == SchoolKind::Kindergarten));
    for k in kindergartens {
        w.add_term(
            k,
            &term(y, 1, date(y, 9, 7), date(y, 11, 9), date(y + 1, 1, 15)),
        )
        .await?;
        w.add_term(
            k,
            &term(
                y,
                2,
                date(y + 1, 3, 1),
                date(y + 1, 4, 26),
                date(y + 1, 7, 9),
            ),
        )
        .await?;
        w.add_holiday(k, &holidays[2]).await?;
        w.add_holiday(k, &holidays[3]).await?;
    }
    Ok(())
}

struct Record {
    kind: &'static str,
    subtype: Option<&'static str>,
    on: Date,
    title: String,
    participants: Option<&'static str>,
}

/// What each demo school did this school year up to yesterday. The third school skipped its
/// last two monthly meetings and the fourth this month's, so the matrix has work to show.
fn plan(index: usize, today: Date) -> Vec<Record> {
    let y = school_year_of(today);
    let term_start = date(y, 9, 1);
    let mut records = Vec::new();
    let meeting = |on: Date| Record {
        kind: "leadership_meeting",
        subtype: None,
        on,
        title: format!("{}月安全穩定工作辦公會議", on.month() as u8),
        participants: Some("校長、分管副校長、安全專人、綜治辦主任、各年級組長"),
    };
    let this_month = (today.year(), today.month());
    let mut month_start = term_start;
    while month_start <= today {
        let on = month_start + Duration::days(7 + index as i64);
        let key = (on.year(), on.month());
        let previous = (today - Duration::days(i64::from(today.day()))).month();
        let skipped = match index {
            2 => key == this_month || on.month() == previous,
            3 => key == this_month,
            _ => false,
        };
        if !skipped && on < today {
            records.push(meeting(on));
        }
        month_start = date(
            if month_start.month() == Month::December {
                month_start.year() + 1
            } else {
                month_start.year()
            },
            month_start.month().next() as u8,
            1,
        );
    }
    let mut add = |kind, subtype, on: Date, title: &str| {
        if on < today && on >= term_start {
            records.push(Record {
                kind,
                subtype,
                on,
                title: title.to_owned(),
                participants: None,
            });
        }
    };
    add(
        "safety_lesson",
        Some("first_lesson"),
        date(y, 9, 1),
        "開學第一課：安全伴我行",
    );
    if index != 3 {
        add(
            "drill",
            Some("evacuation"),
            date(y, 9, 10),
            "開學初緊急疏散演練",
        );
    }
    if matches!(index, 0 | 1 | 4 | 5) {
        add("drill", Some("fire"), date(y, 11, 6), "期中消防演練");
    }
    if matches!(index, 0 | 1) {
        add(
            "drill",
            Some("evacuation"),
            date(y, 10, 16),
            "10月安全避險演練",
        );
    }
    if matches!(index, 0 | 1 | 5) {
        add(
            "legal_lecture",
            None,
            date(y, 9, 18),
            "法制副校長專題講座：遠離校園欺凌",
        );
    }
    if matches!(index, 0 | 4) {
        add(
            "parent_school",
            None,
            date(y, 10, 15),
            "家長學校：居家與交通安全",
        );
    }
    if index == 0 {
        add(
            "joint_action",
            Some("police"),
            date(y, 10, 22),
            "會同派出所整治校園周邊攤販",
        );
        add(
            "safety_lesson",
            Some("travel"),
            date(y, 10, 9),
            "國慶後外出旅遊安全教育",
        );
    }
    let weekly = |records: &mut Vec<Record>| {
        for monday in days(term_start, today).filter(|d| d.weekday() == time::Weekday::Monday) {
            if !(monday.month() == Month::October && monday.day() <= 7) {
                records.push(Record {
                    kind: "publicity",
                    subtype: Some("flag_speech"),
                    on: monday,
                    title: "國旗下講話：安全與法制".into(),
                    participants: None,
                });
            }
        }
    };
    if index == 0 {
        weekly(&mut records);
    }
    records.retain(|r| r.on < today);
    records
}

/// Records the plan of every school.
pub async fn records(w: &mut Write<'_>, schools: &[OrgUnit], today: Date) -> Result<()> {
    for (index, school) in schools.iter().enumerate() {
        for r in plan(index, today) {
            let activity = Activity {
                id: ActivityId::new(),
                school_id: school.id,
                school_path: school.path.to_string(),
                kind: r.kind.to_owned(),
                subtype: r.subtype.map(str::to_owned),
                held_on: r.on,
                title: r.title,
                place: None,
                participants: r.participants.map(str::to_owned),
                content: None,
                decisions: None,
                follow_ups: None,
                recorded_by: "示範資料".to_owned(),
            };
            w.add_activity(school, &activity, &[]).await?;
        }
    }
    Ok(())
}

/// Inspections the demo schools did up to yesterday, all passed: daily fire patrols and
/// canteen checks (daily, weekly, monthly) at the first two schools and the middle school, the monthly hazard
/// inspection at all but the third, and the term-start inspection at all but the fourth.
pub async fn inspections(w: &mut Write<'_>, schools: &[OrgUnit], today: Date) -> Result<()> {
    let y = school_year_of(today);
    let calendar = domain::calendar::SchoolCalendar::new(
        vec![term(
            y,
            1,
            date(y, 9, 1),
            date(y, 11, 9),
            date(y + 1, 1, 22),
        )],
        vec![holiday(date(y, 10, 1), date(y, 10, 7), "國慶日")],
    );
    for (index, school) in schools.iter().enumerate() {
        let canteen = school.school.is_some_and(|p| p.has_canteen);
        let mut plan: Vec<(&str, Date)> = Vec::new();
        if matches!(index, 0 | 1 | 5) {
            for day in calendar.school_days(date(y, 9, 1), today - Duration::days(1)) {
                plan.push(("fire_patrol", day));
                if canteen {
                    plan.push(("canteen_daily", day));
                    if day.weekday() == time::Weekday::Friday {
                        plan.push(("canteen_weekly", day));
                    }
                    if day.day() >= 20 && day.day() < 27 && day.weekday() == time::Weekday::Monday {
                        plan.push(("canteen_monthly", day));
                    }
                }
            }
        }
        if index != 2 {
            let mut month = date(y, 9, 20);
            while month < today {
                plan.push(("monthly_hazard", month));
                month = date(
                    if month.month() == Month::December {
                        month.year() + 1
                    } else {
                        month.year()
                    },
                    month.month().next() as u8,
                    20,
                );
            }
        }
        if index != 3 {
            plan.push(("term_start", date(y, 9, 2)));
        }
        for (code, on) in plan {
            if on >= today {
                continue;
            }
            let Some(template) = domain::checklist::template(code) else {
                continue;
            };
            let answers: Vec<ItemAnswer> = template
                .items()
                .map(|item| ItemAnswer {
                    item_id: item.id.clone(),
                    answer: match item.answer {
                        AnswerKind::Number { min, max } => Answer::Number((min + max) / 2.0),
                        AnswerKind::Check => Answer::Pass,
                        AnswerKind::Text => Answer::Text("示範".into()),
                    },
                    failed: false,
                    note: None,
                })
                .collect();
            let (score, max_score) = domain::inspection::score(template, &answers);
            let inspection = Inspection {
                id: InspectionId::new(),
                school_id: school.id,
                school_path: school.path.to_string(),
                template_code: template.code.clone(),
                template_version: template.version,
                evidence_kind: template.evidence_kind.clone(),
                evidence_subtype: template.evidence_subtype.clone(),
                title: template.title.zh_tw.clone(),
                place: "全校".to_owned(),
                inspected_on: on,
                inspector: "示範資料".to_owned(),
                score,
                max_score,
                failed: 0,
            };
            w.add_inspection(school, &inspection, &answers).await?;
        }
    }
    Ok(())
}

/// Monthly reports of the term's past months, counted from the records just made: on time
/// (the 3rd of the next month) at every school but the third, which has none, and the
/// fourth, whose October report came late.
pub async fn reports(
    app: &crate::App,
    scope: &domain::scope::Scope,
    schools: &[OrgUnit],
    today: Date,
) -> Result<()> {
    use domain::calendar::YearMonth;
    use domain::report::{MonthlyReport, ReportState};
    let y = school_year_of(today);
    let mut w = app.db.write(scope, app.now()).await?;
    let mut made = 0;
    let mut month = YearMonth::of(date(y, 9, 1));
    let this_month = YearMonth::of(today);
    while month < this_month {
        let (_, last) = month.bounds();
        for (index, school) in schools.iter().enumerate() {
            let late = index == 3 && month.month == Month::October;
            let confirmed = last + Duration::days(if late { 8 } else { 3 });
            if index == 2 || confirmed >= today {
                continue;
            }
            let report = MonthlyReport {
                id: domain::ids::ReportId::new(),
                school_id: school.id,
                school_path: school.path.to_string(),
                month,
                version: 1,
                state: ReportState::Draft,
                figures: app.db.month_figures(scope, school, month).await?,
                summary: None,
                prepared_by: "示範資料".into(),
                prepared_on: confirmed,
                confirmed_by: None,
                confirmed_on: None,
            };
            w.add_report(school, &report).await?;
            let submitted = MonthlyReport {
                state: ReportState::Submitted,
                confirmed_by: Some("示範資料".into()),
                confirmed_on: Some(confirmed),
                ..report.clone()
            };
            w.confirm_report(school, &report, &submitted).await?;
            made += 1;
        }
        let (first, _) = month.bounds();
        month = YearMonth::of(first + Duration::days(40));
    }
    if made > 0 {
        w.commit().await?;
    }
    Ok(())
}
