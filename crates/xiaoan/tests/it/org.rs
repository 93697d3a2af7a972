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
        .app
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
        app.app
            .db
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
