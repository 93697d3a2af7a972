//! The one inbox (issue 8): after each step of a hazard and a monthly report, the person
//! who must act next finds it on their home page and in `/api/v1/me/work`, and it is gone
//! from everyone's once done.

use crate::api::{check, response_schema};
use crate::hazards::{report, step};
use serde_json::Value;
use testkit::{DEMO_PASSWORD, TestApp};

/// The kinds of step waiting on `username` for `place` (or for reports), as the API says —
/// checked against the OpenAPI document.
async fn waiting(app: &TestApp, doc: &Value, username: &str, needle: &str) -> Vec<String> {
    let token = app.token(username, DEMO_PASSWORD).await;
    let body: Value = app.api_get(&token, "/api/v1/me/work").await;
    check(
        doc,
        response_schema(doc, "/api/v1/me/work", "get", 200),
        &body,
        "me/work",
    );
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["title"].as_str().unwrap().contains(needle))
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_step_waits_on_the_next_person_and_disappears_when_done() {
    let app = super::work::county().await;
    let doc: Value = TestApp::client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let school = app.unit_id("青山鎮中心國小").await;
    let (teacher, tcsrf) = app.login("teacher", DEMO_PASSWORD).await;
    let hazard = report(&app, &teacher, &tcsrf, &school, "general").await;
    let place = "食堂後門";

    // Reported: the safety officer and the principal are to assign it; nobody else.
    assert_eq!(
        waiting(&app, &doc, "safety", place).await,
        ["assign_hazard"]
    );
    assert_eq!(
        waiting(&app, &doc, "principal", place).await,
        ["assign_hazard"]
    );
    assert!(waiting(&app, &doc, "teacher", place).await.is_empty());
    let (safety, scsrf) = app.login("safety", DEMO_PASSWORD).await;
    let (_, home) = app.get(&safety, "/").await;
    assert!(home.contains("分派隱患：食堂後門"), "on the home page too");

    // Assigned to the canteen manager: it waits on her alone.
    let canteen = app.db.user_for_login("canteen").await.unwrap().unwrap();
    let person = canteen.person_id.to_string();
    let assigned = step(
        &app,
        &safety,
        &scsrf,
        &hazard,
        &[("action", "assign"), ("person", &person)],
        false,
    )
    .await;
    assert_eq!(assigned.status(), 303);
    assert!(waiting(&app, &doc, "safety", place).await.is_empty());
    assert!(waiting(&app, &doc, "principal", place).await.is_empty());
    assert_eq!(
        waiting(&app, &doc, "canteen", place).await,
        ["rectify_hazard"]
    );

    // Submitted with evidence: the managers are to verify it; the rectifier is done.
    let (cook, ccsrf) = app.login("canteen", DEMO_PASSWORD).await;
    let submitted = step(
        &app,
        &cook,
        &ccsrf,
        &hazard,
        &[("action", "submit"), ("note", "已更換滅火器")],
        true,
    )
    .await;
    assert_eq!(submitted.status(), 303);
    assert!(waiting(&app, &doc, "canteen", place).await.is_empty());
    assert_eq!(
        waiting(&app, &doc, "safety", place).await,
        ["verify_hazard"]
    );
    assert_eq!(
        waiting(&app, &doc, "principal", place).await,
        ["verify_hazard"]
    );
    let (_, home) = app.get(&safety, "/").await;
    assert!(home.contains("驗收隱患整改：食堂後門"));

    // Verified: gone from everyone's.
    let verified = step(
        &app,
        &safety,
        &scsrf,
        &hazard,
        &[("action", "verify")],
        false,
    )
    .await;
    assert_eq!(verified.status(), 303);
    for who in ["safety", "principal", "canteen", "teacher"] {
        assert!(waiting(&app, &doc, who, place).await.is_empty(), "{who}");
    }

    // November's report: prepared by the safety officer, it waits on the principal.
    let month = "確認月報：2026-11";
    assert!(waiting(&app, &doc, "principal", month).await.is_empty());
    let prepared = app
        .post(
            &safety,
            &scsrf,
            &format!("/units/{school}/reports"),
            &[("month", "2026-11"), ("summary", "")],
        )
        .await;
    assert_eq!(prepared.status(), 303);
    assert_eq!(
        waiting(&app, &doc, "principal", month).await,
        ["confirm_report"]
    );
    assert!(waiting(&app, &doc, "safety", month).await.is_empty());
    let (principal, pcsrf) = app.login("principal", DEMO_PASSWORD).await;
    let (_, home) = app.get(&principal, "/").await;
    let link = home
        .split("href=\"/reports/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the report to confirm is linked from the principal's home page")
        .to_owned();
    let confirmed = app
        .post(
            &principal,
            &pcsrf,
            &format!("/reports/{link}/confirm"),
            &[("checked", "on")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert!(
        waiting(&app, &doc, "principal", month).await.is_empty(),
        "gone once confirmed"
    );
}
