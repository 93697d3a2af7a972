//! The monthly report (R-HZD-2): prepared from the month's data, a zero report when nothing
//! was found, confirmed by the principal only, never changed after — a correction is a new
//! version — and the central school sees who submitted, who is late, who is missing.

use testkit::DEMO_PASSWORD;

#[tokio::test]
async fn a_report_is_prepared_confirmed_and_seen_by_the_central_school() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (safety, scsrf) = app.login("safety", DEMO_PASSWORD).await;
    let prepared = app
        .post(
            &safety,
            &scsrf,
            &format!("/units/{school}/reports"),
            &[("month", "2026-11"), ("summary", "本月無重大隱患。")],
        )
        .await;
    assert_eq!(prepared.status(), 303);
    let report = prepared.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let (_, page) = app.get(&safety, &report).await;
    assert!(
        page.contains("零報告") && page.contains("待校長確認"),
        "nothing found: a zero report"
    );
    assert!(
        !page.contains("id=\"confirm-report\""),
        "the safety officer does not confirm"
    );
    let refused = app
        .post(&safety, &scsrf, &format!("{report}/confirm"), &[])
        .await;
    assert_eq!(refused.status(), 403);
    let again = app
        .post(
            &safety,
            &scsrf,
            &format!("/units/{school}/reports"),
            &[("month", "2026-11"), ("summary", "")],
        )
        .await;
    assert!(
        again.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=draft"),
        "one draft at a time"
    );

    let (principal, pcsrf) = app.login("principal", DEMO_PASSWORD).await;
    let unchecked = app
        .post(&principal, &pcsrf, &format!("{report}/confirm"), &[])
        .await;
    assert_eq!(
        unchecked.status(),
        422,
        "issue 8: an irreversible step asks first"
    );
    assert!(unchecked.text().await.unwrap().contains("請先勾選"));
    let confirmed = app
        .post(
            &principal,
            &pcsrf,
            &format!("{report}/confirm"),
            &[("checked", "on")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    let (_, page) = app.get(&principal, &report).await;
    assert!(page.contains("已報送") && page.contains("id=\"report-confirmed\""));
    let twice = app
        .post(&principal, &pcsrf, &format!("{report}/confirm"), &[])
        .await;
    assert_eq!(twice.status(), 409, "a submitted report never changes");

    // A correction is a new version; the first stays.
    let correction = app
        .post(
            &safety,
            &scsrf,
            &format!("/units/{school}/reports"),
            &[("month", "2026-11"), ("summary", "更正")],
        )
        .await;
    assert_eq!(correction.status(), 303);
    let (_, list) = app.get(&safety, &format!("/units/{school}/reports")).await;
    assert!(list.contains("v1") && list.contains("v2"));

    let central = app.unit_id("青山鎮中心學校").await;
    let (chief, _) = app.login("central", DEMO_PASSWORD).await;
    let (_, november) = app
        .get(&chief, &format!("/units/{central}/reports?month=2026-11"))
        .await;
    assert!(november.contains("data-school=\"青山鎮中心國小\" data-standing=\"on_time\""));
    assert!(november.contains("data-school=\"柳溪村國小\" data-standing=\"pending\""));
    let (_, october) = app
        .get(&chief, &format!("/units/{central}/reports?month=2026-10"))
        .await;
    assert!(
        october.contains("data-school=\"柳溪村國小\" data-standing=\"missing\""),
        "{october}"
    );
    assert!(october.contains("data-school=\"石橋村國小\" data-standing=\"late\""));
    assert!(october.contains("data-school=\"青山鎮第二國小\" data-standing=\"on_time\""));
}
