//! Scope by construction: a user of another school gets 403 or 404 from every route
//! that names this school's data, UI and API alike.

use testkit::{DEMO_PASSWORD, TestApp};

#[tokio::test]
async fn another_school_reaches_nothing_of_this_one() {
    let app = super::work::county().await;
    let system = domain::scope::Scope::system("test");
    let school_id = app.unit_id("青山鎮中心國小").await;
    let school = app
        .app
        .db
        .unit(&system, school_id.parse().unwrap())
        .await
        .unwrap();
    let people = app.app.db.people_under(&system, &school).await.unwrap();
    let person = &people[0];
    let role = &person.roles[0];
    let member = app.app.db.leadership(&system, &school).await.unwrap()[0].id;
    let user = app.app.db.user_for_login("teacher").await.unwrap().unwrap();
    let pid = person.person.id;

    let today = app.app.today();
    let activity = app
        .app
        .db
        .activities(&system, &school, today - time::Duration::days(400), today)
        .await
        .unwrap()[0]
        .id;
    let attachment = domain::ids::AttachmentId::new();
    let (reporter, rcsrf) = app.login("teacher", DEMO_PASSWORD).await;
    let report = reqwest::multipart::Form::new()
        .text("_csrf", rcsrf)
        .text("place", "操場")
        .text("description", "圍欄鬆脫")
        .text("severity", "general");
    let reported = reporter
        .post(app.url(&format!("/units/{school_id}/hazards")))
        .multipart(report)
        .send()
        .await
        .unwrap();
    let hazard = reported.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let term = domain::ids::TermId::new();

    let (client, csrf) = app.login("p2.principal", DEMO_PASSWORD).await;
    let gets = [
        format!("/org/units/{school_id}"),
        format!("/org/units/{school_id}/import"),
        format!("/org/people/{pid}"),
        format!("/units/{school_id}/calendar"),
        format!("/units/{school_id}/matrix"),
        format!("/units/{school_id}/matrix.xlsx"),
        format!("/units/{school_id}/terms"),
        format!("/units/{school_id}/activities/new"),
        format!("/activities/{activity}"),
        format!("/attachments/{attachment}"),
        format!("/units/{school_id}/hazards"),
        format!("/units/{school_id}/hazards.xlsx"),
        format!("/units/{school_id}/hazards/new"),
        format!("/units/{school_id}/places"),
        format!("/units/{school_id}/inspections"),
        format!("/units/{school_id}/inspections/new?template=fire_patrol"),
        format!("/units/{school_id}/reports"),
        hazard.clone(),
    ];
    let posts = [
        format!("/org/units/{school_id}/children"),
        format!("/org/units/{school_id}/edit"),
        format!("/org/units/{school_id}/delete"),
        format!("/org/units/{school_id}/people"),
        format!("/org/units/{school_id}/leadership"),
        format!("/org/units/{school_id}/leadership/{member}/delete"),
        format!("/org/units/{school_id}/import/confirm"),
        format!("/org/people/{pid}/edit"),
        format!("/org/people/{pid}/roles"),
        format!("/org/people/{pid}/roles/{}/delete", role.id),
        format!("/org/people/{pid}/login"),
        format!("/admin/users/{}/reset", user.id),
        format!("/admin/users/{}/disable", user.id),
        format!("/admin/users/{}/enable", user.id),
        format!("/units/{school_id}/terms"),
        format!("/units/{school_id}/terms/{term}/delete"),
        format!("/units/{school_id}/holidays"),
        format!("/units/{school_id}/holidays/{term}/delete"),
        format!("/units/{school_id}/places"),
        format!("/units/{school_id}/equipment"),
        format!("/units/{school_id}/reports"),
    ];
    let record = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("kind", "parent_school")
        .text("held_on", "2026-11-01")
        .text("title", "x");
    let status = client
        .post(app.url(&format!("/units/{school_id}/activities")))
        .multipart(record)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert!(
        status == 403 || status == 404,
        "POST activities answered {status}"
    );
    for path in &gets {
        let status = client
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!(
            status == 403 || status == 404,
            "GET {path} answered {status}"
        );
    }
    for path in &posts {
        let form = [
            ("_csrf", csrf.as_str()),
            ("name", "x"),
            ("kind", "grade_group"),
            ("person", &pid.to_string()),
            ("position", "member"),
            ("role", "teacher"),
            ("unit", &school_id),
            ("username", "intruder"),
            ("password", "Intruder-2026-x"),
            ("rows", "[]"),
            ("phone", ""),
        ];
        let status = client
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!(
            status == 403 || status == 404,
            "POST {path} answered {status}"
        );
    }
    let token = app.token("p2.principal", DEMO_PASSWORD).await;
    let api = TestApp::client();
    for path in [
        format!("/api/v1/org/units/{school_id}"),
        format!("/api/v1/org/units/{school_id}/people"),
    ] {
        let status = api
            .get(app.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!(
            status == 403 || status == 404,
            "GET {path} answered {status}"
        );
    }
    for (path, body) in [
        (
            format!("/api/v1/org/units/{school_id}/children"),
            serde_json::json!({"kind": "grade_group", "name": "x"}),
        ),
        (
            format!("/api/v1/org/units/{school_id}/people"),
            serde_json::json!({"name": "x"}),
        ),
        (
            format!("/api/v1/people/{pid}/roles"),
            serde_json::json!({"role": "teacher", "unit_id": school_id}),
        ),
    ] {
        let status = api
            .post(app.url(&path))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!(
            status == 403 || status == 404,
            "POST {path} answered {status}"
        );
    }
    let units: Vec<serde_json::Value> = api
        .get(app.url("/api/v1/org/units"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        units.iter().all(|u| u["name"] != "青山鎮中心國小"),
        "the list leaves the other school out"
    );
    let audit: serde_json::Value = api
        .get(app.url("/api/v1/audit"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit["entries"].as_array().unwrap().iter().all(|e| {
        !e["unit_path"]
            .as_str()
            .unwrap_or("")
            .starts_with(&school.path)
    }));
}

#[tokio::test]
async fn a_teacher_cannot_manage_or_read_the_audit_log() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("teacher", DEMO_PASSWORD).await;
    assert_eq!(
        client
            .get(app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        client
            .get(app.url("/admin/users"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
