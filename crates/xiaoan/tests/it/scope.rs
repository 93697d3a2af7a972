//! Scope by construction (issue 8): a user of another school gets 403 or 404 from every
//! route of the route table that names a record, UI and API alike, with real ids of one
//! record of each kind of this school — and the answer comes from the route, never from
//! the fallback, so a path mistyped in the table cannot pass.

use std::collections::HashMap;
use testkit::{DEMO_PASSWORD, TestApp};
use web::{Kind, Object};

/// One record of each kind the route table names, all of 青山鎮中心國小, made by its own
/// people (or by the bureau, for its calendar).
struct Records {
    school: String,
    ids: HashMap<Object, String>,
}

impl Records {
    /// The id of a record of `object`'s kind. Exhaustive: a new kind of parameter in the
    /// table does not compile here until this test makes a record of it.
    fn id(&self, object: Object) -> Option<&str> {
        let known = match object {
            Object::Unit
            | Object::Person
            | Object::Assignment
            | Object::LeadershipMember
            | Object::User
            | Object::Term
            | Object::Holiday
            | Object::Activity
            | Object::Attachment
            | Object::Hazard
            | Object::Inspection
            | Object::Report
            | Object::Equipment
            | Object::Token => true,
            Object::StaticFile | Object::Language => false,
        };
        known.then(|| {
            self.ids
                .get(&object)
                .unwrap_or_else(|| panic!("the test made no {object:?}"))
                .as_str()
        })
    }

    /// `path` with each parameter replaced by the id of what it names.
    fn fill(&self, route: &web::RouteInfo) -> String {
        let mut path = route.path.to_owned();
        for (name, object) in route.param_names().iter().zip(route.params) {
            let id = self.id(*object).unwrap_or("x");
            path = path.replace(&format!("{{{name}}}"), id);
        }
        path
    }
}

async fn location(response: reqwest::Response) -> String {
    assert!(
        response.status().is_redirection(),
        "{} {}",
        response.status(),
        response.text().await.unwrap()
    );
    response.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn records_of_one_school(app: &TestApp) -> Records {
    let system = domain::scope::Scope::system("test");
    let db = &app.db;
    let school_id = app.unit_id("青山鎮中心國小").await;
    let unit_id: domain::ids::OrgUnitId = school_id.parse().unwrap();
    let school = db.unit(&system, unit_id).await.unwrap();
    let mut ids = HashMap::new();
    ids.insert(Object::Unit, school_id.clone());
    let people = db.people_under(&system, &school).await.unwrap();
    let person = people.iter().find(|p| !p.roles.is_empty()).unwrap();
    ids.insert(Object::Person, person.person.id.to_string());
    ids.insert(Object::Assignment, person.roles[0].id.to_string());
    let member = db.leadership(&system, &school).await.unwrap()[0].id;
    ids.insert(Object::LeadershipMember, member.to_string());
    let teacher = db.user_for_login("teacher").await.unwrap().unwrap();
    ids.insert(Object::User, teacher.id.to_string());

    // The school's own calendar, kept by the bureau.
    let term = app::calendar::TermForm {
        school_year: "2027".into(),
        number: "1".into(),
        starts: "2027-09-01".into(),
        mid: "2027-11-10".into(),
        ends: "2028-01-20".into(),
    };
    app::calendar::add_term(&app.app, &system, unit_id, &term)
        .await
        .unwrap();
    let holiday = app::calendar::HolidayForm {
        starts: "2027-10-01".into(),
        ends: "2027-10-07".into(),
        name: "國慶".into(),
    };
    app::calendar::add_holiday(&app.app, &system, unit_id, &holiday)
        .await
        .unwrap();
    let term = &db.stored_terms(&school, false).await.unwrap()[0];
    ids.insert(Object::Term, term.id.to_string());
    let holiday = &db.stored_holidays(&school, false).await.unwrap()[0];
    ids.insert(Object::Holiday, holiday.id.to_string());

    // A meeting with a photo, a hazard, an inspection, equipment, a monthly report.
    let (teacher_client, csrf) = app.login("teacher", DEMO_PASSWORD).await;
    let meeting = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("kind", "leadership_meeting")
        .text("subtype", "")
        .text("held_on", "2026-11-19")
        .text("title", "安全工作會議")
        .text("participants", "王校長、李老師")
        .text("content", "研究期末安全工作。")
        .part("files", super::hazards::photo());
    let activity = location(
        teacher_client
            .post(app.url(&format!("/units/{school_id}/activities")))
            .multipart(meeting)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let activity = activity.trim_start_matches("/activities/").to_owned();
    let attachment = db
        .attachments(&system, &format!("activities/{activity}"))
        .await
        .unwrap()[0]
        .id;
    ids.insert(Object::Activity, activity);
    ids.insert(Object::Attachment, attachment.to_string());
    let hazard = location(
        teacher_client
            .post(app.url(&format!("/units/{school_id}/hazards")))
            .multipart(
                reqwest::multipart::Form::new()
                    .text("_csrf", csrf.clone())
                    .text("place", "操場")
                    .text("description", "圍欄鬆脫")
                    .text("severity", "general"),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    ids.insert(
        Object::Hazard,
        hazard.trim_start_matches("/hazards/").to_owned(),
    );

    let api = TestApp::client();
    let teacher_token = app.token("teacher", DEMO_PASSWORD).await;
    let inspection: serde_json::Value = api
        .post(app.url(&format!("/api/v1/units/{school_id}/inspections")))
        .bearer_auth(&teacher_token)
        .json(&serde_json::json!({
            "template": "fire_patrol",
            "place": "教學樓",
            "answers": {
                "exits": {"answer": "pass"},
                "signs": {"answer": "pass"},
                "power": {"answer": "pass"}
            }
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ids.insert(
        Object::Inspection,
        inspection["id"].as_str().unwrap().into(),
    );
    let tokens: Vec<serde_json::Value> = app.api_get(&teacher_token, "/api/v1/auth/tokens").await;
    ids.insert(Object::Token, tokens[0]["id"].as_str().unwrap().into());

    let (safety, safety_csrf) = app.login("safety", DEMO_PASSWORD).await;
    let added = app
        .post(
            &safety,
            &safety_csrf,
            &format!("/units/{school_id}/equipment"),
            &[
                ("place", "教學樓"),
                ("kind", "extinguisher"),
                ("label", "一樓走廊 1 號"),
                ("serviced_on", "2026-06-01"),
                ("expires_on", "2027-06-01"),
            ],
        )
        .await;
    assert!(added.status().is_redirection(), "{}", added.status());
    let equipment = db.equipment(&system, &school).await.unwrap();
    ids.insert(Object::Equipment, equipment[0].id.to_string());
    let safety_token = app.token("safety", DEMO_PASSWORD).await;
    let report: serde_json::Value = api
        .post(app.url(&format!("/api/v1/units/{school_id}/reports")))
        .bearer_auth(&safety_token)
        .json(&serde_json::json!({"month": "2026-11"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ids.insert(Object::Report, report["id"].as_str().unwrap().into());
    Records {
        school: school_id,
        ids,
    }
}

/// Whether an answer refuses another school's caller, from the route itself.
fn refused_by_the_route(response: &reqwest::Response, what: &str) {
    let status = response.status().as_u16();
    assert!(status == 403 || status == 404, "{what} answered {status}");
    assert!(
        !response.headers().contains_key(web::UNROUTED_HEADER),
        "{what} was answered by the fallback: no route of the table has this path"
    );
}

#[tokio::test]
async fn another_school_reaches_nothing_of_this_one() {
    let app = super::work::county().await;
    let records = records_of_one_school(&app).await;
    let school = &records.school;
    let (client, csrf) = app.login("p2.principal", DEMO_PASSWORD).await;
    let token = app.token("p2.principal", DEMO_PASSWORD).await;
    let api = TestApp::client();
    let person = records.id(Object::Person).unwrap();
    // Every field any form of the table reads, filled well enough to reach the check.
    let fields = [
        ("name", "x"),
        ("kind", "grade_group"),
        ("person", person),
        ("position", "member"),
        ("role", "teacher"),
        ("unit", school.as_str()),
        ("username", "intruder"),
        ("password", "Intruder-2026-x"),
        ("rows", "[]"),
        ("phone", ""),
        ("place", "操場"),
        ("description", "x"),
        ("severity", "general"),
        ("action", "assign"),
        ("month", "2026-11"),
        ("held_on", "2026-11-01"),
        ("title", "x"),
        ("template", "fire_patrol"),
    ];
    let json = serde_json::json!({
        "kind": "grade_group", "name": "x", "role": "teacher", "unit_id": school,
        "place": "操場", "description": "x", "severity": "general", "action": "assign",
        "person": person, "template": "fire_patrol", "answers": {}, "month": "2026-11",
    });
    // Every query field an API route requires.
    let query = [("month", "2026-11")];
    let mut walked = 0;
    for route in web::route_infos() {
        assert_eq!(
            route.param_names().len(),
            route.params.len(),
            "{} {} must say what each of its parameters names",
            route.method,
            route.path
        );
        if !route.params.iter().any(|o| o.is_record()) {
            continue;
        }
        let path = records.fill(&route);
        let what = format!("{} {path} ({})", route.method, route.path);
        let request = match route.kind {
            Kind::Api => api
                .request(route.method.clone(), app.url(&path))
                .query(&query)
                .bearer_auth(&token)
                .json(&json),
            Kind::Page if route.method == reqwest::Method::GET => client.get(app.url(&path)),
            Kind::Page if route.multipart => {
                let mut form = reqwest::multipart::Form::new().text("_csrf", csrf.clone());
                for (name, value) in fields {
                    form = form.text(name, value.to_owned());
                }
                client
                    .request(route.method.clone(), app.url(&path))
                    .multipart(form)
            }
            Kind::Page => {
                let mut form = vec![("_csrf", csrf.as_str())];
                form.extend_from_slice(&fields);
                client
                    .request(route.method.clone(), app.url(&path))
                    .form(&form)
            }
            Kind::Ops | Kind::Static => panic!("{what}: names a record but is not a page or API"),
        };
        refused_by_the_route(&request.send().await.unwrap(), &what);
        walked += 1;
    }
    assert!(walked > 50, "only {walked} routes walked");

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
    let system = domain::scope::Scope::system("test");
    let school = app.db.unit(&system, school.parse().unwrap()).await.unwrap();
    let audit: serde_json::Value = app.api_get(&token, "/api/v1/audit").await;
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| { !school.path.contains(e["unit_path"].as_str().unwrap_or("")) })
    );
}

/// The walk's guard itself: a path no route has is seen as the fallback's answer.
#[tokio::test]
async fn the_fallback_marks_its_answers() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("teacher", DEMO_PASSWORD).await;
    let response = client
        .get(app.url(&format!("/unitz/{}/hazards", uuid::Uuid::nil())))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.headers().contains_key(web::UNROUTED_HEADER));
    let routed = client
        .get(app.url(&format!("/hazards/{}", uuid::Uuid::nil())))
        .send()
        .await
        .unwrap();
    assert_eq!(routed.status(), 404);
    assert!(!routed.headers().contains_key(web::UNROUTED_HEADER));
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
