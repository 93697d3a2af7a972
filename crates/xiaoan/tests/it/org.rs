//! The organisation (R-ORG-1, R-ORG-2, R-ORG-5): tree, units, people, roles, leadership;
//! bad input keeps what was typed and names the field.

use testkit::{DEMO_PASSWORD, TestApp};

#[tokio::test]
async fn bureau_sees_the_whole_county_tree() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("admin", DEMO_PASSWORD).await;
    let tree = client
        .get(app.url("/org"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "青山縣教育局",
        "青山鎮中心學校",
        "青山鎮中心國小",
        "柳溪村國小",
        "青山鎮中心幼稚園",
        "青山縣第一中學",
        "一年一班",
    ] {
        assert!(tree.contains(name), "tree shows {name}");
    }
}

#[tokio::test]
async fn principal_sees_only_their_school() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("principal", DEMO_PASSWORD).await;
    let tree = client
        .get(app.url("/org"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tree.contains("青山鎮中心國小"));
    assert!(!tree.contains("柳溪村國小"));
    assert!(!tree.contains("青山縣教育局"));
}

#[tokio::test]
async fn a_unit_form_with_a_mistake_keeps_what_was_typed() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let response = client
        .post(app.url(&format!("/org/units/{school}/people")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "周小明"),
            ("phone", "abc"),
            ("role", "teacher"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("value=\"周小明\""), "the typed name is kept");
    assert!(
        page.contains("電話號碼格式不正確"),
        "the phone field says what is wrong"
    );
    let people = app
        .db
        .people_count(&domain::scope::Scope::system("t"))
        .await
        .unwrap();
    let created = client
        .post(app.url(&format!("/org/units/{school}/people")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "周小明"),
            ("phone", "13800000001"),
            ("role", "teacher"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    assert_eq!(
        app.db
            .people_count(&domain::scope::Scope::system("t"))
            .await
            .unwrap(),
        people + 1
    );
}

#[tokio::test]
async fn units_follow_the_hierarchy_and_people_hold_several_roles() {
    let app = TestApp::with_demo().await;
    let token = app.token("principal", DEMO_PASSWORD).await;
    let client = TestApp::client();
    let school = app.unit_id("青山鎮中心國小").await;
    let bad = client
        .post(app.url(&format!("/api/v1/org/units/{school}/children")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "kind": "central_school", "name": "錯誤" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let grade: serde_json::Value = client
        .post(app.url(&format!("/api/v1/org/units/{school}/children")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "kind": "grade_group", "name": "特教組" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let person: serde_json::Value = client
        .post(app.url(&format!("/api/v1/org/units/{school}/people")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "name": "何麗華", "role": "teacher" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second = client
        .post(app.url(&format!(
            "/api/v1/people/{}/roles",
            person["id"].as_str().unwrap()
        )))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "role": "grade_leader", "unit_id": grade["id"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 201, "一崗雙責: a second role");
    let again = client
        .post(app.url(&format!(
            "/api/v1/people/{}/roles",
            person["id"].as_str().unwrap()
        )))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "role": "grade_leader", "unit_id": grade["id"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn leadership_group_lists_its_members() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let page = client
        .get(app.url(&format!("/org/units/{school}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("綜治工作領導小組"));
    assert!(page.contains("組長"));
    assert!(page.contains("全面負責學校安全穩定工作"));
}

#[tokio::test]
async fn the_time_zone_is_a_setting_of_the_bureau() {
    // Issue 8: not a constant; the demo county keeps Asia/Shanghai; an unknown name is
    // refused with examples; the change is audited and moves "today".
    let app = TestApp::with_demo_at(time::macros::datetime!(2026-11-20 07:00 +8)).await;
    let county = app.unit_id("青山縣教育局").await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let page_path = format!("/org/units/{county}");
    let (_, page) = app.get(&admin, &page_path).await;
    assert!(
        page.contains("name=\"time_zone\" value=\"Asia/Shanghai\""),
        "{page}"
    );
    assert_eq!(app.app.today(), time::macros::date!(2026 - 11 - 20));

    let edit = format!("/org/units/{county}/edit");
    let refused = app
        .post(
            &admin,
            &csrf,
            &edit,
            &[("name", "青山縣教育局"), ("time_zone", "Asia/Beijing")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("不是已知的時區名稱") && body.contains("Asia/Taipei"));
    assert!(
        body.contains("value=\"Asia/Beijing\""),
        "the form keeps what was typed"
    );
    assert_eq!(app.app.today(), time::macros::date!(2026 - 11 - 20));

    let saved = app
        .post(
            &admin,
            &csrf,
            &edit,
            &[("name", "青山縣教育局"), ("time_zone", "Europe/London")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    // 07:00 in Shanghai is still the evening before in London.
    assert_eq!(app.app.today(), time::macros::date!(2026 - 11 - 19));
    let (_, page) = app.get(&admin, &page_path).await;
    assert!(page.contains("value=\"Europe/London\""));
    let (_, audit) = app.get(&admin, "/admin/audit?entity=org_unit").await;
    assert!(audit.contains("Europe/London"), "the change is audited");

    // Another server of the same database reads it at start.
    let other = app.reopen(app.app.clock.clone()).await;
    assert_eq!(other.zone().name(), "Europe/London");
}
