//! Benchmark: the county hazard ledger with 100,000 hazards (issue 4). Loads the demo county
//! into a fresh database (SQLite; PostgreSQL with XIAOAN_TEST_BACKEND=postgres), adds the
//! hazards in one change, then times the page the bureau opens, over real HTTP. Run with
//! `cargo bench -p xiaoan --bench ledger` (or `scripts/bench --ledger`).

// A benchmark, not the product: a failed step ends the run with its panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::hazard::{Hazard, HazardState, Severity};
use domain::ids::HazardId;
use domain::scope::Scope;
use std::time::Instant;
use testkit::{DEMO_PASSWORD, TestApp};
use time::Duration;

const HAZARDS: usize = 100_000;

async fn time_page(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    runs: usize,
) -> (f64, f64, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        size = response.bytes().await.unwrap().len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1], size)
}

#[tokio::main]
async fn main() {
    let app = TestApp::with_demo().await;
    let system = Scope::system("bench");
    let units = app.db.units(&system).await.unwrap();
    let schools: Vec<_> = units
        .iter()
        .filter(|u| u.kind == domain::org::UnitKind::School)
        .collect();
    let today = app.app.today();
    let started = Instant::now();
    let mut write = app.db.write(&system, app.app.now()).await.unwrap();
    for i in 0..HAZARDS {
        let school = schools[i % schools.len()];
        let reported_on = today - Duration::days((i % 730) as i64);
        let state = [
            HazardState::Closed,
            HazardState::Closed,
            HazardState::Closed,
            HazardState::Rectifying,
            HazardState::Reported,
        ][i % 5];
        let hazard = Hazard {
            id: HazardId::new(),
            school_id: school.id,
            school_path: school.path.to_string(),
            place: format!("教學樓 {} 樓 {} 室", i % 5 + 1, i % 40 + 1),
            description: "樓梯扶手鬆動，需加固。".into(),
            severity: if i % 50 == 0 {
                Severity::Major
            } else {
                Severity::General
            },
            category: None,
            state,
            responsible_id: None,
            responsible_name: Some("王老師".into()),
            deadline: Some(reported_on + Duration::days(14)),
            submitted_by: None,
            source: None,
            reported_by: "檢查人".into(),
            reported_on,
            closed_on: (state == HazardState::Closed).then_some(reported_on + Duration::days(7)),
        };
        write.add_hazard(school, &hazard, None).await.unwrap();
    }
    write.commit().await.unwrap();
    println!(
        "ledger: {HAZARDS} hazards in {} schools added in {:.1} s ({})",
        schools.len(),
        started.elapsed().as_secs_f64(),
        testkit::backend()
    );
    let bureau = app.unit_id("青山縣教育局").await;
    let (admin, _) = app.login("admin", DEMO_PASSWORD).await;
    for (label, path) in [
        (
            "county ledger, newest 1,000 of 100,000, totals and 12-month trend",
            format!("/units/{bureau}/hazards"),
        ),
        (
            "county ledger, open and overdue only",
            format!("/units/{bureau}/hazards?state=open&overdue=1"),
        ),
        (
            "county ledger, major only",
            format!("/units/{bureau}/hazards?severity=major"),
        ),
    ] {
        let (median, worst, size) = time_page(&app, &admin, &path, 10).await;
        println!(
            "  {label}: median {median:.0} ms, slowest {worst:.0} ms of 10 ({} KiB)",
            size / 1024
        );
    }
    let (median, _, size) =
        time_page(&app, &admin, &format!("/units/{bureau}/hazards.xlsx"), 3).await;
    println!(
        "  xlsx export of all 100,000: median {median:.0} ms of 3 ({} KiB)",
        size / 1024
    );
}
