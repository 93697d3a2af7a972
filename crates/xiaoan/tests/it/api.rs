//! The JSON API: bearer tokens, problem documents, and responses that match the OpenAPI
//! document served at /api/openapi.json.

use serde_json::Value;
use testkit::{DEMO_PASSWORD, TestApp};

/// Checks `value` against a schema of the OpenAPI document (the subset it uses).
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
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

fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
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
