//! The policy as data (R-POL-1): the shipped default in force, a bureau's new version
//! refused with the line of each mistake or put in force from a date, versions compared,
//! the same checks from the command line.

use domain::policy::Policy;
use domain::policy::draft::Draft;
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
    assert!(
        row.contains("每期至少次數:</span> 1") && row.contains("每期至少次數:</span> 2"),
        "{row}"
    );
    // Issue 8: a changed number of the whole policy is a changed row too, and the policy
    // page shows every such number.
    let row = row_of("hazard_general_days");
    assert!(
        row.contains("一般隱患整改天數") && row.contains("修改"),
        "{row}"
    );
    assert!(
        row.contains("一般隱患整改天數:</span> 14") && row.contains("一般隱患整改天數:</span> 10"),
        "{row}"
    );
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

/// The row of one item in the comparison page.
fn compare_row(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("id=\"cmp-{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    let row = &page[start..];
    row[..row.find("</tr>").unwrap()].to_owned()
}

/// Issue 8 (R-POL-1): the comparison shows every changed value in every section — a hazard
/// deadline, a clock, a threshold, each field of an obligation — and nothing else changed.
#[tokio::test]
async fn the_comparison_shows_every_changed_value_in_every_section() {
    let app = super::work::county().await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let mut policy = Policy::default_policy();
    policy.version = "2026.2".into();
    policy.hazard_days.major = 2;
    policy.clocks[0].hours = 1;
    policy.thresholds[0].at_least = 4;
    let meeting = policy
        .obligations
        .iter_mut()
        .find(|o| o.id == "leadership_meeting")
        .unwrap();
    meeting.title.en = "Safety leadership meeting".into();
    meeting.applies.boarding = Some(true);
    let source = domain::policy::draft::to_toml(&policy);
    assert_eq!(
        put_policy(&app, &admin, &csrf, &source, None)
            .await
            .status(),
        303
    );
    let (_, page) = app.get(&admin, "/policy/compare?a=0&b=1").await;
    assert!(page.contains("共 4 處不同"), "four items changed");
    let row = compare_row(&page, "hazard_major_days");
    assert!(row.contains("修改") && row.contains("</span> 3") && row.contains("</span> 2"));
    let row = compare_row(&page, "clock-incident_emergency");
    assert!(
        row.contains("2 小時內") && row.contains("1 小時內"),
        "{row}"
    );
    let row = compare_row(&page, "threshold-cluster_one_day");
    assert!(
        row.contains("3 例以上") && row.contains("4 例以上"),
        "{row}"
    );
    let row = compare_row(&page, "leadership_meeting");
    assert!(
        row.contains("名稱（英文）")
            && row.contains("Safety leadership meeting")
            && row.contains("寄宿學校"),
        "every changed field of the obligation: {row}"
    );
    assert!(
        !row.contains("每期至少次數"),
        "an unchanged field is not listed as changed: {row}"
    );
    let row = compare_row(&page, "hazard_inspection_monthly");
    assert!(row.contains("相同"), "{row}");
}

/// A form's fields for a draft, as the browser sends them (with the CSRF token).
fn form_of(
    draft: &Draft,
    csrf: &str,
    effective_from: &str,
    correction: &str,
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("_csrf".to_owned(), csrf.to_owned()),
        ("effective_from".to_owned(), effective_from.to_owned()),
        ("correction".to_owned(), correction.to_owned()),
    ];
    fields.extend(draft.to_fields());
    fields
}

/// Issue 8 (R-POL-1): the bureau edits the policy in a form; each mistake is named next to
/// its field with the bad value and everything typed comes back; a valid form is saved as a
/// new version through the same checks as a document; a school cannot open the form.
#[tokio::test]
async fn a_bureau_edits_the_policy_in_a_form() {
    let app = super::work::county().await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let (status, page) = app.get(&admin, "/policy/edit").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"f-obligation-0-grace_days\"")
            && page.contains("id=\"f-setting-hazard_major_days\"")
            && page.contains("id=\"f-threshold-0-at_least\"")
            && page.contains("id=\"f-clock-0-hours\""),
        "every section has its fields"
    );
    assert!(
        page.contains("value=\"2026.2\""),
        "a new version number is offered"
    );

    let mut draft = Draft::from(&Policy::default_policy());
    draft.version = "2026.2".into();
    draft.hazard_major_days = "500".into();
    draft.obligations[0].grace_days = "soon".into();
    draft.obligations[1].title.en = "Typed and kept".into();
    let refused = admin
        .post(app.url("/policy/edit"))
        .form(&form_of(&draft, &csrf, "2026-12-01", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    let note = |id: &str| {
        let start = page
            .find(&format!("id=\"f-{id}-note\""))
            .unwrap_or_else(|| panic!("no note for {id}"));
        page[start..start + page[start..].find("</div>").unwrap()].to_owned()
    };
    assert!(
        note("setting-hazard_major_days").contains("1 到 180")
            && note("setting-hazard_major_days").contains("500"),
        "the limit and the bad value: {}",
        note("setting-hazard_major_days")
    );
    assert!(note("obligation-0-grace_days").contains("「soon」"));
    assert!(page.contains("value=\"soon\"") && page.contains("value=\"Typed and kept\""));

    // Back-dated without a reason: refused, the reason's field says why.
    draft.hazard_major_days = "2".into();
    draft.obligations[0].grace_days = "3".into();
    let back_dated = admin
        .post(app.url("/policy/edit"))
        .form(&form_of(&draft, &csrf, "2026-11-01", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(back_dated.status(), 422);
    let page = back_dated.text().await.unwrap();
    assert!(page.contains("生效日期早於今天"));

    let saved = admin
        .post(app.url("/policy/edit"))
        .form(&form_of(&draft, &csrf, "2026-12-01", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let (_, page) = app.get(&admin, "/policy/compare?a=0&b=1").await;
    let row = compare_row(&page, "hazard_major_days");
    assert!(row.contains("修改") && row.contains("</span> 2"), "{row}");
    let (_, audit) = app.get(&admin, "/admin/audit?entity=policy_version").await;
    assert!(audit.contains("2026.2"), "the new version is audited");
    // The same number twice is refused next to the version field.
    let again = admin
        .post(app.url("/policy/edit"))
        .form(&form_of(&draft, &csrf, "2026-12-02", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 422);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("版本號「2026.2」已經用過")
    );

    let (principal, pcsrf) = app.login("principal", DEMO_PASSWORD).await;
    let (status, _) = app.get(&principal, "/policy/edit").await;
    assert_eq!(status, 403, "only the bureau edits the policy");
    let forbidden = principal
        .post(app.url("/policy/edit"))
        .form(&form_of(&draft, &pcsrf, "2026-12-05", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
}

/// A page without the policy document in its editor (which holds every language).
fn without_document(page: &str) -> String {
    match (page.find("<textarea"), page.find("</textarea>")) {
        (Some(start), Some(end)) => format!("{}{}", &page[..start], &page[end..]),
        _ => page.to_owned(),
    }
}

/// Issue 8: the policy's name, its thresholds, clocks and obligations read in the page's
/// language, and the comparison too.
#[tokio::test]
async fn the_policy_reads_in_the_page_language() {
    let app = super::work::county().await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let switch = |lang: &'static str| {
        admin
            .post(app.url("/account/language"))
            .form(&[("_csrf", csrf.as_str()), ("lang", lang)])
            .send()
    };
    assert_eq!(switch("en").await.unwrap().status(), 303);
    let (_, en) = app.get(&admin, "/policy").await;
    let en = without_document(&en);
    assert!(
        en.contains("Default policy") && !en.contains("預設政策"),
        "the name in English"
    );
    assert!(en.contains("Emergency event report") && en.contains("within 2 hours"));
    assert!(
        en.contains("3 or more in 1 days"),
        "a threshold's count in English"
    );
    assert!(
        !en.contains("領導小組安全穩定工作會議"),
        "no Traditional-only title"
    );
    let (_, form) = app.get(&admin, "/policy/edit").await;
    assert!(form.contains("Leadership group safety meeting"));
    assert_eq!(switch("zh-CN").await.unwrap().status(), 303);
    let (_, cn) = app.get(&admin, "/policy").await;
    let cn = without_document(&cn);
    assert!(cn.contains("默认政策") && cn.contains("领导小组安全稳定工作会议"));
    assert!(!cn.contains("預設政策") && !cn.contains("領導小組安全穩定工作會議"));
}
