//! Issue 7, tried as an attacker would: parallel logins against the limit, a lockout from
//! behind a proxy, robot webhooks aimed inward, HSTS and the metrics token.

use futures_util::future::join_all;
use testkit::{DEMO_PASSWORD, TestApp};

async fn api_login(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = client
        .post(app.url("/api/v1/auth/login"))
        .header("accept-language", "en")
        .json(&serde_json::json!({ "username": username, "password": password }));
    if let Some(addr) = forwarded_for {
        request = request.header("x-forwarded-for", addr);
    }
    request.send().await.unwrap()
}

/// 40 wrong passwords for one account at the same moment: no more than the limit (5) are
/// checked; the rest are refused with 429, a Retry-After and the minutes filled in.
#[tokio::test]
async fn a_burst_of_wrong_passwords_checks_no_more_than_the_limit() {
    let app = TestApp::with_demo().await;
    let client = TestApp::client();
    let answers = join_all(
        (0..40).map(|_| api_login(&app, &client, "teacher", "not-the-password-at-all", None)),
    )
    .await;
    let checked = answers.iter().filter(|r| r.status() == 401).count();
    let refused: Vec<&reqwest::Response> = answers.iter().filter(|r| r.status() == 429).collect();
    assert!(checked <= 5, "{checked} passwords were checked");
    assert!(checked >= 1);
    assert_eq!(checked + refused.len(), 40, "every answer is 401 or 429");
    assert!(
        refused
            .iter()
            .all(|r| r.headers().contains_key("retry-after"))
    );
    let last = api_login(&app, &client, "teacher", "not-the-password-at-all", None).await;
    assert_eq!(last.status(), 429);
    let problem: serde_json::Value = last.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("try again in 15 minutes"),
        "the minutes are filled in: {detail}"
    );
    // Even the right password waits: the check is not made at all.
    let right = api_login(&app, &client, "teacher", DEMO_PASSWORD, None).await;
    assert_eq!(right.status(), 429);
}

/// Behind a trusted proxy, failures count per account and client: an attacker at one
/// address cannot lock out the teacher at another, nor everyone behind the school's NAT.
#[tokio::test]
async fn nobody_locks_out_others_from_another_address() {
    let config = web::WebConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..web::WebConfig::default()
    };
    let app = TestApp::spawn_with_config(config).await;
    app::demo::load_if_empty(&app.app, DEMO_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let client = TestApp::client();
    for _ in 0..8 {
        api_login(
            &app,
            &client,
            "teacher",
            "wrong-wrong-wrong",
            Some("198.51.100.7"),
        )
        .await;
    }
    let attacker = api_login(
        &app,
        &client,
        "teacher",
        DEMO_PASSWORD,
        Some("198.51.100.7"),
    )
    .await;
    assert_eq!(attacker.status(), 429, "the attacker's address waits");
    // A forged X-Forwarded-For further left is not believed: the proxy's entry counts.
    let forged = api_login(
        &app,
        &client,
        "teacher",
        DEMO_PASSWORD,
        Some("203.0.113.9, 198.51.100.7"),
    )
    .await;
    assert_eq!(forged.status(), 429);
    let teacher = api_login(&app, &client, "teacher", DEMO_PASSWORD, Some("203.0.113.9")).await;
    assert_eq!(teacher.status(), 200, "the teacher at school signs in");
    let colleague = api_login(
        &app,
        &client,
        "principal",
        DEMO_PASSWORD,
        Some("198.51.100.7"),
    )
    .await;
    assert_eq!(
        colleague.status(),
        200,
        "others behind the same address sign in"
    );
}

/// The login page answers a throttled attempt with 429, the form kept and the minutes
/// filled in.
#[tokio::test]
async fn the_login_page_says_how_long_to_wait() {
    let app = TestApp::with_demo().await;
    let client = TestApp::client();
    let mut last = None;
    for _ in 0..6 {
        let answer =
            testkit::submit_login(&client, &app.base, "teacher", "not-the-password", None).await;
        last = Some(answer);
    }
    let last = last.unwrap();
    assert_eq!(last.status(), 429);
    assert!(last.headers().contains_key("retry-after"));
    let body = last.text().await.unwrap();
    assert!(body.contains("請於 15 分鐘後再試"), "{body}");
    assert!(body.contains("value=\"teacher\""), "what was typed is kept");
}

/// A robot address inside the machine or a private network is refused when saved, with
/// a reason and the address kept; plain http is refused unless the operator allows the host.
#[tokio::test]
async fn robot_webhooks_cannot_point_inward() {
    let app = TestApp::with_demo_and_outbound(app::outbound::OutboundPolicy::default()).await;
    let (principal, csrf) = app.login("principal", DEMO_PASSWORD).await;
    for (url, message) in [
        ("http://127.0.0.1:9/robot", "機器人網址必須以 https:// 開頭"),
        ("https://127.0.0.1:9/robot", "指向本機或內部網路位址"),
        (
            "https://169.254.169.254/latest/meta-data/",
            "指向本機或內部網路位址",
        ),
        ("https://[::1]/robot", "指向本機或內部網路位址"),
        ("https://localhost/robot", "指向本機或內部網路位址"),
        ("https://10.1.2.3/robot", "指向本機或內部網路位址"),
        ("https://2130706433/robot", "指向本機或內部網路位址"),
    ] {
        let refused = app
            .post(
                &principal,
                &csrf,
                "/account/reminders",
                &[
                    ("in_app", "on"),
                    ("webhook_kind", "dingtalk"),
                    ("webhook_url", url),
                    ("days_before", "3"),
                ],
            )
            .await;
        assert_eq!(refused.status(), 422, "{url}");
        let page = refused.text().await.unwrap();
        assert!(page.contains(message), "{url}: {page}");
    }
    // Sending checks again at every connection: an address saved earlier is refused too.
    let notifier =
        app::notify::Notifier::new(None, &app::outbound::OutboundPolicy::default()).unwrap();
    let sent = notifier
        .webhook(
            app::notify::WebhookKind::parse("dingtalk").unwrap(),
            "https://127.0.0.1:9/robot",
            "t",
            "b",
        )
        .await;
    assert!(sent.unwrap_err().contains("refused"));
}

#[tokio::test]
async fn hsts_on_https_and_metrics_behind_a_token() {
    let config = web::WebConfig {
        hsts: true,
        secure_cookies: true,
        metrics_token: Some("s3cret-metrics".into()),
        ..web::WebConfig::default()
    };
    let app = TestApp::spawn_with_config(config).await;
    let client = TestApp::client();
    let login = client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(
        login.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    let open = client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(open.status(), 401);
    let wrong = client
        .get(app.url("/metrics"))
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = client
        .get(app.url("/metrics"))
        .bearer_auth("s3cret-metrics")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
}

/// A file name with a NUL byte gets a clear 422 naming the problem, not "too large".
#[tokio::test]
async fn a_nul_in_a_file_name_is_named_as_such() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let boundary = "b0undary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"place\"\r\n\r\n食堂\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a"
    )
    .into_bytes();
    body.push(0);
    body.extend_from_slice(
        format!(".jpg\"\r\nContent-Type: image/jpeg\r\n\r\nxyz\r\n--{boundary}--\r\n").as_bytes(),
    );
    let answer = client
        .post(app.url(&format!("/units/{school}/hazards")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    let page = answer.text().await.unwrap();
    assert!(page.contains("控制字元"), "the reason is named: {page}");
    assert!(!page.contains("過大") && !page.contains("過長"), "{page}");
}
