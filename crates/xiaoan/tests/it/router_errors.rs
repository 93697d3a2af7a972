//! What the router and the extractors refuse on their own answers like every other error
//! (issue 8): the styled page in the caller's language, problem+json under `/api`, each
//! naming the bad value and what is accepted, with the request id as the reference.

use serde_json::Value;
use testkit::{DEMO_PASSWORD, TestApp};

fn content_type(response: &reqwest::Response) -> String {
    response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned()
}

fn request_id(response: &reqwest::Response) -> String {
    response.headers()[web::REQUEST_ID_HEADER]
        .to_str()
        .unwrap()
        .to_owned()
}

/// A page: its status, the request id and the text, once it is known to be the styled page.
async fn styled_page(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    assert!(
        content_type(&response).starts_with("text/html"),
        "{status} is a page"
    );
    let id = request_id(&response);
    let body = response.text().await.unwrap();
    assert!(body.contains("error-summary"), "the styled error page");
    assert!(body.contains(&id), "the page shows its reference {id}");
    (status, id, body)
}

/// A problem document: its status and body, once it is known to be one with the request id.
async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(content_type(&response), "application/problem+json");
    let id = request_id(&response);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert_eq!(body["request_id"], id.as_str());
    (status, body)
}

#[tokio::test]
async fn pages_answer_router_errors_styled_in_the_callers_language() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("teacher", DEMO_PASSWORD).await;
    // The account's language wins over the browser's.
    let chosen = app
        .post(&client, &csrf, "/account/language", &[("lang", "en")])
        .await;
    assert!(chosen.status().is_redirection());
    let english = |path: &str| {
        client
            .get(app.url(path))
            .header("accept-language", "zh-TW")
            .send()
    };

    let (status, _, body) = styled_page(english("/reports/abc").await.unwrap()).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("“abc” is not the id of a monthly report"),
        "{body}"
    );
    assert!(!body.contains("UUID parsing failed"));

    let (status, _, body) = styled_page(english("/no/such/page").await.unwrap()).await;
    assert_eq!(status, 404);
    assert!(body.contains("There is no page at /no/such/page"), "{body}");

    let (principal, csrf) = app.login("principal", DEMO_PASSWORD).await;
    app.post(&principal, &csrf, "/account/language", &[("lang", "zh-CN")])
        .await;
    let simplified = principal
        .get(app.url("/hazards/%E5%A0%B1"))
        .send()
        .await
        .unwrap();
    let (_, _, body) = styled_page(simplified).await;
    assert!(body.contains("“報”不是隐患的编号"), "{body}");

    let wrong_method = TestApp::client()
        .get(app.url("/logout"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.headers()["allow"], "POST");
    let (status, _, body) = styled_page(wrong_method).await;
    assert_eq!(status, 405);
    assert!(
        body.contains("does not accept GET; it accepts POST"),
        "{body}"
    );

    // A visitor: the browser's language, Traditional Chinese by default.
    let visitor = TestApp::client();
    let (_, _, body) = styled_page(visitor.get(app.url("/nope")).send().await.unwrap()).await;
    assert!(body.contains("沒有這個地址：/nope"), "{body}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_the_limit() {
    let app = TestApp::spawn_with_config(web::WebConfig {
        max_upload: 4096,
        ..web::WebConfig::default()
    })
    .await;
    let big = "x".repeat(10_000);
    let page = TestApp::client()
        .post(app.url("/login"))
        .header("accept-language", "en")
        .form(&[("username", big.as_str()), ("password", "y")])
        .send()
        .await
        .unwrap();
    let (status, _, body) = styled_page(page).await;
    assert_eq!(status, 413);
    assert!(body.contains("(4 KiB at most)"), "{body}");

    let api = TestApp::client()
        .post(app.url("/api/v1/auth/login"))
        .header("accept-language", "en")
        .json(&serde_json::json!({"username": big, "password": "y"}))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(api).await;
    assert_eq!(status, 413);
    assert!(body["detail"].as_str().unwrap().contains("4 KiB"));
}

#[tokio::test]
async fn the_api_answers_framework_errors_as_problem_documents() {
    let app = TestApp::with_demo().await;
    let token = app.token("safety", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let client = TestApp::client();
    let call = |method: reqwest::Method, path: &str| {
        client
            .request(method, app.url(path))
            .bearer_auth(&token)
            .header("accept-language", "en")
    };

    let (status, body) = problem(
        call(reqwest::Method::GET, "/api/v1/hazards/abc")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "id");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("“abc” is not the id of a hazard"),
        "{detail}"
    );

    let hazards = format!("/api/v1/units/{school}/hazards");
    let (status, body) = problem(
        call(reqwest::Method::POST, &hazards)
            .body(r#"{"place": "操場"}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 415);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("Content-Type: application/json")
    );

    let (status, body) = problem(
        call(reqwest::Method::POST, &hazards)
            .header("content-type", "application/json")
            .body("{\"place\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["detail"].as_str().unwrap().contains("line 1"));

    let (status, body) = problem(
        call(reqwest::Method::POST, &hazards)
            .json(&serde_json::json!({"place": 5, "description": "x", "severity": "general"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("place") && detail.contains("5") && detail.contains("a string"),
        "names the field and the value: {detail}"
    );

    let (status, _) = problem(
        call(reqwest::Method::GET, "/api/v1/no-such-thing")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);

    let wrong = call(reqwest::Method::DELETE, "/api/v1/me")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.headers()["allow"], "GET,HEAD");
    let (status, body) = problem(wrong).await;
    assert_eq!(status, 405);
    assert!(body["detail"].as_str().unwrap().contains("DELETE"));
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_plain_incoming_one_is_kept() {
    let app = TestApp::spawn().await;
    let client = TestApp::client();
    let kept = client
        .get(app.url("/healthz"))
        .header(web::REQUEST_ID_HEADER, "proxy-1234.abc_DEF")
        .send()
        .await
        .unwrap();
    assert_eq!(request_id(&kept), "proxy-1234.abc_DEF");
    let replaced = client
        .get(app.url("/healthz"))
        .header(web::REQUEST_ID_HEADER, "<script>")
        .send()
        .await
        .unwrap();
    let id = request_id(&replaced);
    assert_ne!(id, "<script>");
    assert_eq!(id.len(), 32, "a new id: {id}");
    let other = client.get(app.url("/healthz")).send().await.unwrap();
    assert_ne!(request_id(&other), id, "each request its own id");
}
