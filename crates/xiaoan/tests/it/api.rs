//! The JSON API: bearer tokens, problem documents, and responses that match the OpenAPI
//! document served at /api/openapi.json.

use serde_json::Value;
use testkit::{DEMO_PASSWORD, TestApp};

/// Checks `value` against a schema of the OpenAPI document (the subset it uses).
pub fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matches = options
            .iter()
            .filter(|o| std::panic::catch_unwind(|| check(doc, o, value, at)).is_ok())
            .count();
        assert_eq!(matches, 1, "{at}: exactly one of oneOf must match {value}");
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        assert!(
            types.contains(&actual) || (actual == "integer" && types.contains(&"number")),
            "{at}: {actual} is not {types:?}"
        );
    }
    if let Some(required) = schema["required"].as_array() {
        for key in required.iter().filter_map(Value::as_str) {
            assert!(value.get(key).is_some(), "{at}: missing {key}");
        }
    }
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), value.as_object()) {
        for (key, sub) in props {
            if let Some(v) = obj.get(key) {
                check(doc, sub, v, &format!("{at}.{key}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(doc, items, v, &format!("{at}[{i}]"));
        }
    }
    if let (Some(allowed), Some(s)) = (schema["enum"].as_array(), value.as_str()) {
        assert!(allowed.iter().any(|a| a == s), "{at}: {s} not in enum");
    }
}

pub fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let response = &doc["paths"][path][method]["responses"][status.to_string()];
    assert!(
        !response.is_null(),
        "{method} {path} {status} is documented"
    );
    let content = &response["content"];
    content
        .get("application/json")
        .or_else(|| content.get("application/problem+json"))
        .map_or(&Value::Null, |c| &c["schema"])
}

#[tokio::test]
async fn responses_match_the_openapi_document() {
    let app = TestApp::with_demo().await;
    let client = TestApp::client();
    let doc: Value = client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let bad = client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": "nope-nope-nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let body: Value = bad.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/auth/login", "post", 401),
        &body,
        "login 401",
    );

    let login = client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let body: Value = login.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/auth/login", "post", 200),
        &body,
        "login",
    );
    let token = body["token"].as_str().unwrap().to_owned();

    let school = app.unit_id("青山鎮中心國小").await;
    for (path, template) in [
        ("/api/v1/me".to_owned(), "/api/v1/me"),
        ("/api/v1/org/units".to_owned(), "/api/v1/org/units"),
        (
            format!("/api/v1/org/units/{school}"),
            "/api/v1/org/units/{id}",
        ),
        (
            format!("/api/v1/org/units/{school}/people"),
            "/api/v1/org/units/{id}/people",
        ),
        ("/api/v1/users".to_owned(), "/api/v1/users"),
        ("/api/v1/audit".to_owned(), "/api/v1/audit"),
        ("/api/v1/auth/tokens".to_owned(), "/api/v1/auth/tokens"),
    ] {
        let response = client
            .get(app.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        check(
            &doc,
            response_schema(&doc, template, "get", 200),
            &body,
            &path,
        );
    }

    let unauthorized = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    let body: Value = unauthorized.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/me", "get", 401),
        &body,
        "me 401",
    );
}

#[tokio::test]
async fn tokens_can_be_listed_and_revoked() {
    let app = TestApp::with_demo().await;
    let token = app.token("teacher", DEMO_PASSWORD).await;
    let client = TestApp::client();
    let tokens: Vec<Value> = client
        .get(app.url("/api/v1/auth/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tokens.len(), 1);
    let id = tokens[0]["id"].as_str().unwrap();
    let revoked = client
        .delete(app.url(&format!("/api/v1/auth/tokens/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        client
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

/// Hazards and monthly reports over the API match the OpenAPI document (issue 4).
#[tokio::test]
async fn hazards_and_reports_over_the_api_match_the_document() {
    let app = super::work::county().await;
    let client = TestApp::client();
    let doc: Value = client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let school = app.unit_id("青山鎮中心國小").await;
    let teacher = app.token("teacher", DEMO_PASSWORD).await;
    let safety = app.token("safety", DEMO_PASSWORD).await;
    let principal = app.token("principal", DEMO_PASSWORD).await;
    let central = app.token("central", DEMO_PASSWORD).await;
    let call = |method: reqwest::Method, path: String, token: &str, body: Option<Value>| {
        let mut request = client.request(method, app.url(&path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };

    let created = call(
        reqwest::Method::POST,
        format!("/api/v1/units/{school}/hazards"),
        &teacher,
        Some(serde_json::json!({"place": "操場東側", "description": "籃球架底座鬆動", "severity": "general"})),
    )
    .await
    .unwrap();
    assert_eq!(created.status(), 201);
    let hazard: Value = created.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/units/{id}/hazards", "post", 201),
        &hazard,
        "report",
    );
    let id = hazard["id"].as_str().unwrap().to_owned();

    let person = app
        .db
        .user_for_login("safety")
        .await
        .unwrap()
        .unwrap()
        .person_id;
    let assigned = call(
        reqwest::Method::POST,
        format!("/api/v1/hazards/{id}/steps"),
        &safety,
        Some(serde_json::json!({"action": "assign", "person": person.to_string()})),
    )
    .await
    .unwrap();
    assert_eq!(assigned.status(), 200);
    let body: Value = assigned.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/hazards/{id}/steps", "post", 200),
        &body,
        "assign",
    );
    assert_eq!(body["state"], "assigned");

    for (path, template) in [
        (
            format!("/api/v1/units/{school}/hazards?state=open"),
            "/api/v1/units/{id}/hazards",
        ),
        (format!("/api/v1/hazards/{id}"), "/api/v1/hazards/{id}"),
    ] {
        let response = call(reqwest::Method::GET, path.clone(), &safety, None)
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        check(
            &doc,
            response_schema(&doc, template, "get", 200),
            &body,
            &path,
        );
    }

    let patrol = call(
        reqwest::Method::POST,
        format!("/api/v1/units/{school}/inspections"),
        &teacher,
        Some(serde_json::json!({
            "template": "fire_patrol",
            "place": "教學樓",
            "answers": {
                "exits": {"answer": "pass"},
                "signs": {"answer": "pass"},
                "power": {"answer": "fail"}
            }
        })),
    )
    .await
    .unwrap();
    assert_eq!(patrol.status(), 422, "a failed item needs a note");
    let patrol = call(
        reqwest::Method::POST,
        format!("/api/v1/units/{school}/inspections"),
        &teacher,
        Some(serde_json::json!({
            "template": "fire_patrol",
            "place": "教學樓",
            "answers": {
                "exits": {"answer": "pass"},
                "signs": {"answer": "pass"},
                "power": {"answer": "pass"}
            }
        })),
    )
    .await
    .unwrap();
    assert_eq!(patrol.status(), 201);
    let body: Value = patrol.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/units/{id}/inspections", "post", 201),
        &body,
        "inspection",
    );

    let prepared = call(
        reqwest::Method::POST,
        format!("/api/v1/units/{school}/reports"),
        &safety,
        Some(serde_json::json!({"month": "2026-11"})),
    )
    .await
    .unwrap();
    assert_eq!(prepared.status(), 201);
    let report: Value = prepared.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/units/{id}/reports", "post", 201),
        &report,
        "prepare",
    );
    assert_eq!(report["figures"]["hazards_found"], 1);
    let report_id = report["id"].as_str().unwrap().to_owned();
    let refused = call(
        reqwest::Method::POST,
        format!("/api/v1/reports/{report_id}/confirm"),
        &safety,
        None,
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 403);
    let confirmed = call(
        reqwest::Method::POST,
        format!("/api/v1/reports/{report_id}/confirm"),
        &principal,
        None,
    )
    .await
    .unwrap();
    assert_eq!(confirmed.status(), 200);
    let body: Value = confirmed.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/reports/{id}/confirm", "post", 200),
        &body,
        "confirm",
    );

    let centre = app.unit_id("青山鎮中心學校").await;
    let seen = call(
        reqwest::Method::GET,
        format!("/api/v1/units/{centre}/reports?month=2026-11"),
        &central,
        None,
    )
    .await
    .unwrap();
    assert_eq!(seen.status(), 200);
    let body: Value = seen.json().await.unwrap();
    check(
        &doc,
        response_schema(&doc, "/api/v1/units/{id}/reports", "get", 200),
        &body,
        "submissions",
    );
    let mine = body["schools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["school_name"] == "青山鎮中心國小")
        .unwrap();
    assert_eq!(mine["standing"], "on_time");
}

/// Every `/api` route of the route table is in the OpenAPI document with its method, and
/// every documented operation is a route of the table (issue 8, guards by construction).
#[test]
fn the_openapi_document_and_the_route_table_agree() {
    let doc: Value = serde_json::from_str(web::OPENAPI_DOCUMENT).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let routes: Vec<web::RouteInfo> = web::route_infos()
        .into_iter()
        .filter(|r| r.kind == web::Kind::Api)
        .collect();
    for route in &routes {
        let method = route.method.as_str().to_ascii_lowercase();
        assert!(
            paths.get(route.path).and_then(|p| p.get(&method)).is_some(),
            "{} {} is a route but not in openapi.json",
            route.method,
            route.path
        );
    }
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            if method == "parameters" {
                continue;
            }
            assert!(
                routes
                    .iter()
                    .any(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method)),
                "{method} {path} is in openapi.json but no route of the table"
            );
        }
    }
}

/// The codes the OpenAPI document offers are the domain's own: every role, every kind of
/// unit (issue 8: the document matches what the server accepts).
#[test]
fn the_openapi_document_offers_the_domains_codes() {
    let doc: Value = serde_json::from_str(web::OPENAPI_DOCUMENT).unwrap();
    let schemas = &doc["components"]["schemas"];
    let codes = |v: &Value| -> Vec<String> {
        v["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect()
    };
    let roles: Vec<String> = domain::role::Role::ALL
        .iter()
        .map(|r| r.code().to_owned())
        .collect();
    assert_eq!(codes(&schemas["NewRole"]["properties"]["role"]), roles);
    assert_eq!(codes(&schemas["NewPerson"]["properties"]["role"]), roles);
    let kinds: Vec<String> = domain::org::UnitKind::ALL
        .iter()
        .map(|k| k.code().to_owned())
        .collect();
    assert_eq!(codes(&schemas["NewUnit"]["properties"]["kind"]), kinds);
}
