//! The policy as data (R-POL-1): the shipped default in force, a bureau's new version
//! refused with the line of each mistake or put in force from a date, versions compared,
//! the same checks from the command line.

use testkit::{DEMO_PASSWORD, TestApp};

/// Submits the policy form from 1 December 2026: the edited text, or a file.
async fn put_policy(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    text: &str,
    file: Option<&str>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_owned())
        .text("effective_from", "2026-12-01")
        .text("source", text.to_owned());
    if let Some(file) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("policy.toml"),
        );
    }
    client
        .post(app.url("/policy"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bureau_puts_a_new_version_in_force_and_mistakes_name_their_line() {
    let app = super::work::county().await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let (status, page) = app.get(&admin, "/policy").await;
    assert_eq!(status, 200);
    assert!(page.contains("領導小組安全穩定工作會議") && page.contains("系統預設"));

    let source = domain::policy::DEFAULT_SOURCE;
    let broken = source.replacen("every = \"month\"", "every = \"monthly\"", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("\"monthly\""))
        .unwrap()
        + 1;
    let refused = put_policy(&app, &admin, &csrf, &broken, None).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(&format!("第 {line} 行：every 不能是「monthly」")),
        "the mistake names its line"
    );
    assert!(
        page.contains("every = &#34;monthly&#34;") || page.contains("every = &quot;monthly&quot;"),
        "the text comes back to be corrected"
    );

    let stricter = source
        .replacen(
            "every = \"month\"\nevidence = [{ kind = \"leadership_meeting\" }]",
            "every = \"month\"\ntimes = 2\nevidence = [{ kind = \"leadership_meeting\" }]",
            1,
        )
        .replacen("general_days = 14", "general_days = 10", 1);
    assert_ne!(stricter, source);
    // Issue 8: the same version number twice is refused, with the number named.
    let same_number = put_policy(&app, &admin, &csrf, "", Some(&stricter)).await;
    assert_eq!(same_number.status(), 422);
    assert!(
        same_number
            .text()
            .await
            .unwrap()
            .contains("版本號「2026.1」已經用過")
    );
    let stricter = stricter.replacen("version = \"2026.1\"", "version = \"2026.2\"", 1);
    let saved = put_policy(&app, &admin, &csrf, "", Some(&stricter)).await;
    assert_eq!(saved.status(), 303);
    let (_, page) = app.get(&admin, "/policy").await;
    assert!(page.contains("2026-12-01"), "the new version is listed");
    let (_, compare) = app.get(&admin, "/policy/compare?a=0&b=1").await;
    let row_of = |id: &str| {
        let row = &compare[compare.find(&format!("id=\"cmp-{id}\"")).unwrap()..];
        row[..row.find("</tr>").unwrap()].to_owned()
    };
    let row = row_of("leadership_meeting");
    assert!(row.contains("修改"));
    assert!(row.contains("至少 2 次"));
    // Issue 8: a changed number of the whole policy is a changed row too, and the policy
    // page shows every such number.
    let row = row_of("hazard_general_days");
    assert!(
        row.contains("一般隱患整改天數") && row.contains("修改"),
        "{row}"
    );
    assert!(row.contains("<td>14</td><td>10</td>"), "{row}");
    let (_, page) = app.get(&admin, "/policy").await;
    assert!(page.contains("逾期隱患上報中心學校") && page.contains("安全設備檢查間隔"));

    let (principal, pcsrf) = app.login("principal", DEMO_PASSWORD).await;
    let (status, page) = app.get(&principal, "/policy").await;
    assert_eq!(status, 200, "every school reads the policy");
    assert!(!page.contains("id=\"policy-form\""));
    let forbidden = put_policy(&app, &principal, &pcsrf, source, None).await;
    assert_eq!(forbidden.status(), 403, "only the bureau sets the policy");
}

#[test]
fn the_command_line_checks_a_policy_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, domain::policy::DEFAULT_SOURCE).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["policy", "check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        domain::policy::DEFAULT_SOURCE.replacen("role = \"principal\"", "role = \"janitor\"", 1),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .env("LANG", "en_US.UTF-8")
        .args(["policy", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = domain::policy::DEFAULT_SOURCE
        .lines()
        .position(|l| l == "role = \"principal\"")
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("bad.toml:{line}: there is no role \"janitor\"")),
        "{stderr}"
    );
}

#[tokio::test]
async fn policy_show_prints_the_version_in_force() {
    let app = TestApp::spawn().await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["policy", "show", "--database-url", &app.database_url])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("[[obligation]]"));
}

/// Issue 8: a version dated before today changes what was already judged, so it needs a
/// reason to correct the record — kept in the audit log — and the form keeps what was typed.
#[tokio::test]
async fn a_back_dated_version_needs_a_reason_to_correct_the_record() {
    let app = super::work::county().await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let source =
        domain::policy::DEFAULT_SOURCE.replacen("version = \"2026.1\"", "version = \"2026.1a\"", 1);
    let put = |reason: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf.clone())
            .text("effective_from", "2026-11-01")
            .text("correction", reason)
            .text("source", source.clone());
        admin.post(app.url("/policy")).multipart(form).send()
    };
    let refused = put("").await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("生效日期早於今天") && page.contains("2026-11-01"),
        "{page}"
    );
    let saved = put("教育局 11 月 3 日文件已生效，補登").await.unwrap();
    assert_eq!(saved.status(), 303);
    let (_, audit) = app.get(&admin, "/admin/audit?entity=policy_version").await;
    assert!(audit.contains("補登"), "the reason is in the audit log");
}
