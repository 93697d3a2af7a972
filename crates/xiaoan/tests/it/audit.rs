//! The audit log: every change is recorded; `xiaoan audit verify` finds an edited entry.

use testkit::{DEMO_PASSWORD, TestApp};

async fn verify(app: &TestApp) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["--database-url", &app.database_url, "audit", "verify"])
        .output()
        .await
        .unwrap()
}

#[tokio::test]
async fn changes_are_audited_and_tampering_is_detected() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let created = client
        .post(app.url(&format!("/org/units/{school}/children")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "grade_group"),
            ("name", "學前班"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let page = client
        .get(app.url("/admin/audit?entity=org_unit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("學前班") && page.contains("王建國"),
        "who and what are shown"
    );
    assert!(
        page.contains("<td>新增</td><td>組織單位<br>"),
        "actions and entities read in the user's language, not as codes"
    );

    let ok = verify(&app).await;
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let db = &app.app.db;
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.database_url)
        .await
        .unwrap();
    let drop_guard = match testkit::backend() {
        "postgres" => "DROP TRIGGER audit_log_no_update ON audit_log",
        _ => "DROP TRIGGER audit_log_no_update",
    };
    let refused = sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 3")
        .execute(&pool)
        .await;
    assert!(
        refused.is_err(),
        "the database refuses edits to the audit log"
    );
    sqlx::raw_sql(drop_guard).execute(&pool).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 3")
        .execute(&pool)
        .await
        .unwrap();
    let broken = verify(&app).await;
    assert!(!broken.status.success());
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("entry 3"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
    let _ = db;
}
