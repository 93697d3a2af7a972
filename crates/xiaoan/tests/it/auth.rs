//! Accounts and access (ASVS level 2): login, generic failures, throttling, sessions,
//! CSRF, forced password change, disabling, security headers.

use testkit::{DEMO_PASSWORD, TestApp, hidden_value};

#[tokio::test]
async fn login_shows_home_in_traditional_chinese() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("principal", DEMO_PASSWORD).await;
    let home = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("王建國"), "home shows who I am");
    assert!(home.contains("校長"), "home shows my role in zh-TW");
    assert!(home.contains("青山鎮中心國小"));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_read_the_same() {
    let app = TestApp::with_demo().await;
    let client = TestApp::client();
    let mut bodies = Vec::new();
    for user in ["principal", "nobody-here"] {
        let page = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden_value(&page, "_csrf").unwrap();
        let response = client
            .post(app.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", user),
                ("password", "wrong-password-1"),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        assert!(body.contains("帳號或密碼不正確"), "{body}");
        assert!(
            body.contains(&format!("value=\"{user}\"")),
            "the typed username is kept"
        );
        bodies.push(body.contains("帳號或密碼不正確"));
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn repeated_failures_are_throttled() {
    let app = TestApp::with_demo().await;
    let client = TestApp::client();
    let mut last = String::new();
    for _ in 0..6 {
        let page = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden_value(&page, "_csrf").unwrap();
        last = client
            .post(app.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "teacher"),
                ("password", "not-the-password"),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    }
    assert!(last.contains("登入失敗次數過多"), "{last}");
}

#[tokio::test]
async fn pages_need_a_session_and_forms_need_the_csrf_token() {
    let app = TestApp::with_demo().await;
    let anonymous = TestApp::client();
    let response = anonymous.get(app.url("/org")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=%2Forg")
    );
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let forged = client
        .post(app.url(&format!("/org/units/{school}/children")))
        .form(&[
            ("_csrf", "forged"),
            ("kind", "grade_group"),
            ("name", "七年級"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 409);
    let cross_site = client
        .post(app.url(&format!("/org/units/{school}/children")))
        .header("origin", "http://evil.example")
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "grade_group"),
            ("name", "七年級"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let ok = client
        .post(app.url(&format!("/org/units/{school}/children")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "grade_group"),
            ("name", "七年級"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = TestApp::spawn().await;
    let response = TestApp::client()
        .get(app.url("/login"))
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
}

#[tokio::test]
async fn logout_and_disabling_end_the_session() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("teacher", DEMO_PASSWORD).await;
    let out = client
        .post(app.url("/logout"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(
        client.get(app.url("/")).send().await.unwrap().status(),
        303,
        "the old session no longer works"
    );

    let (teacher, _) = app.login("teacher", DEMO_PASSWORD).await;
    let (admin, admin_csrf) = app.login("principal", DEMO_PASSWORD).await;
    let teacher_user = app.db.user_for_login("teacher").await.unwrap().unwrap();
    let disabled = admin
        .post(app.url(&format!("/admin/users/{}/disable", teacher_user.id)))
        .form(&[("_csrf", admin_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 303);
    assert_eq!(
        teacher.get(app.url("/")).send().await.unwrap().status(),
        303,
        "a disabled account's session ends"
    );
}

#[tokio::test]
async fn admin_reset_forces_a_password_change() {
    let app = TestApp::with_demo().await;
    let (admin, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let gate = app.db.user_for_login("gate").await.unwrap().unwrap();
    let reset = admin
        .post(app.url(&format!("/admin/users/{}/reset", gate.id)))
        .form(&[("_csrf", csrf.as_str()), ("password", "Temporary-2026!")])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 303);
    let login = TestApp::client()
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": "gate", "password": "Temporary-2026!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(
        body["must_change_password"], true,
        "an admin reset forces a change at next login"
    );
    let old = TestApp::client()
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": "gate", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401, "the old password no longer works");
}

#[tokio::test]
async fn language_follows_accept_language_and_the_account() {
    let app = TestApp::with_demo().await;
    let page = TestApp::client()
        .get(app.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("Log in"));
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let switched = client
        .post(app.url("/account/language"))
        .form(&[("_csrf", csrf.as_str()), ("lang", "zh-CN")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 303);
    let home = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("组织架构"),
        "Simplified Chinese after switching"
    );
}

#[tokio::test]
async fn operations_endpoints() {
    let app = TestApp::with_demo().await;
    let client = TestApp::client();
    assert_eq!(
        client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let _ = client.get(app.url("/login")).send().await.unwrap();
    let metrics = client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .contains("xiaoan_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("xiaoan_db_pool_connections"));
}

/// Signs in through the form and returns the page the account is sent to first.
async fn first_page(app: &TestApp, username: &str, password: &str) -> String {
    let client = TestApp::client();
    let answer = testkit::submit_login(&client, &app.base, username, password, None).await;
    let to = answer.headers()["location"].to_str().unwrap().to_owned();
    client
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Issue 8: a new account is welcomed to set its own password; only a reset says that
/// an administrator reset it.
#[tokio::test]
async fn a_new_account_and_a_reset_one_are_told_apart() {
    let app = TestApp::with_demo().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["--database-url", &app.database_url, "--data-dir"])
        .arg(app.dir.path())
        .args([
            "user",
            "add",
            "newbie",
            "--name",
            "新同事",
            "--role",
            "teacher",
            "--unit",
            &school,
        ])
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let temporary = said
        .split("temporary password: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    let page = first_page(&app, "newbie", &temporary).await;
    assert!(
        page.contains("歡迎使用校安") && !page.contains("管理員已重設"),
        "{page}"
    );

    let (principal, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let gate = app.db.user_for_login("gate").await.unwrap().unwrap();
    let reset = principal
        .post(app.url(&format!("/admin/users/{}/reset", gate.id)))
        .form(&[("_csrf", csrf.as_str()), ("password", "Temporary-2026!")])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 303);
    let page = first_page(&app, "gate", "Temporary-2026!").await;
    assert!(page.contains("管理員已重設您的密碼"), "{page}");
}
