//! What a person does, in headless Chromium, in Traditional Chinese: log in, see the org
//! tree, switch language, read a wrong-password message, import a roster with a bad row.

use testkit::{Browser, DEMO_PASSWORD, TestApp};

async fn sign_in(browser: &Browser, app: &TestApp, username: &str, password: &str) {
    browser.goto(&app.url("/login")).await;
    browser.type_into("#username", username).await;
    browser.type_into("#password", password).await;
    browser.click("#login-submit").await;
}

#[tokio::test]
async fn a_newcomer_logs_in_browses_the_county_and_switches_language() {
    let app = TestApp::with_demo().await;
    let browser = Browser::start(1280, 900, "zh-TW").await;
    browser.goto(&app.url("/login")).await;
    assert!(
        browser.page_text().await.contains("學校綜合治理"),
        "the login page reads in Traditional Chinese"
    );
    sign_in(&browser, &app, "admin", DEMO_PASSWORD).await;
    assert_eq!(browser.text("#me-name").await, "張志強");
    browser.click("a[href='/org']").await;
    let tree = browser.text("#org-tree").await;
    assert!(
        tree.contains("青山鎮中心學校") && tree.contains("柳溪村國小") && tree.contains("中心學校"),
        "{tree}"
    );
    browser.screenshot(&app.dir.path().join("org.png")).await;
    browser.click("#lang-form button[value='en']").await;
    browser.wait_for_text("body", "Organization").await;
    browser.click("#lang-form button[value='zh-TW']").await;
    browser.wait_for_text("body", "組織架構").await;
}

#[tokio::test]
async fn a_wrong_password_says_so_clearly() {
    let app = TestApp::with_demo().await;
    let browser = Browser::start(390, 844, "zh-TW").await;
    sign_in(&browser, &app, "teacher", "not-my-password").await;
    assert!(
        browser
            .text("#login-error")
            .await
            .contains("帳號或密碼不正確")
    );
    assert!(browser.current_url().await.ends_with("/login"));
}

#[tokio::test]
async fn an_import_with_a_bad_row_shows_the_row() {
    let app = TestApp::with_demo().await;
    let browser = Browser::start(1280, 900, "zh-TW").await;
    sign_in(&browser, &app, "principal", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    let school = app.unit_id("青山鎮中心國小").await;
    browser
        .goto(&app.url(&format!("/org/units/{school}")))
        .await;
    browser.click("#import-link").await;
    let file = app.dir.path().join("roster.xlsx");
    std::fs::write(
        &file,
        super::import::roster(&[["六年級", "六年二班", "蔣雨晴", "電話不詳", "班主任", ""]]),
    )
    .unwrap();
    browser.choose_file("#roster-file", &file).await;
    browser.click("#import-upload").await;
    assert!(
        browser
            .text("#import-rejected")
            .await
            .contains("尚未匯入任何資料")
    );
    let errors = browser.text("#import-errors").await;
    assert!(
        errors.contains('2') && errors.contains("電話") && errors.contains("電話號碼格式不正確"),
        "{errors}"
    );
}

#[tokio::test]
async fn a_reset_password_must_be_changed_before_anything_else() {
    let app = TestApp::with_demo().await;
    let gate = app.db.user_for_login("gate").await.unwrap().unwrap();
    let browser = Browser::start(1280, 900, "zh-TW").await;
    sign_in(&browser, &app, "principal", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser.goto(&app.url("/admin/users")).await;
    browser
        .type_into(&format!("#reset-{}", gate.id), "Temporary-2026!")
        .await;
    browser.click(&format!("#reset-{} ~ button", gate.id)).await;
    browser.wait_for_text("#users", "須修改密碼").await;
    browser.click("#logout").await;

    sign_in(&browser, &app, "gate", "Temporary-2026!").await;
    browser.wait_for_text("#must-change", "").await;
    browser.goto(&app.url("/org")).await;
    assert!(
        browser.current_url().await.ends_with("/account/password"),
        "nothing else opens before the change"
    );
    browser.type_into("#current", "Temporary-2026!").await;
    browser.type_into("#password", "gate-new-pass-2026").await;
    browser.type_into("#confirm", "gate-new-pass-2026").await;
    browser.click("#password-submit").await;
    // A password holding the username is refused with a reason.
    browser
        .wait_for_text("#password-error", "不可包含帳號")
        .await;
    browser.type_into("#current", "Temporary-2026!").await;
    browser.type_into("#password", "Lantern-river-2026").await;
    browser.type_into("#confirm", "Lantern-river-2026").await;
    browser.click("#password-submit").await;
    browser.wait_for_text("#login-notice", "密碼已更新").await;
    sign_in(&browser, &app, "gate", "Lantern-river-2026").await;
    browser.find("#me-name").await;
}

/// Issue 3's flow: the bureau sees who is behind and why, opens a school's calendar; the
/// school records its leadership meeting and the obligation turns done; a policy with a
/// mistake is refused with its line named.
#[tokio::test]
async fn the_bureau_sees_who_is_behind_and_a_school_catches_up() {
    let app = super::work::county().await;
    let browser = Browser::start(1280, 900, "zh-TW").await;
    sign_in(&browser, &app, "admin", DEMO_PASSWORD).await;
    let behind = browser.wait_for_text("#behind", "石橋村國小").await;
    assert!(
        behind.contains("期中安全演練") && behind.contains("領導小組安全穩定工作會議"),
        "why each school is behind: {behind}"
    );
    browser.click("#behind a[href$='/calendar']").await;
    browser.wait_for_text("h1", "行事曆").await;
    browser
        .screenshot(&app.dir.path().join("calendar.png"))
        .await;
    browser.click("#logout").await;

    sign_in(&browser, &app, "sq.principal", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser.click("#calendar-link").await;
    assert!(
        browser
            .text("#ob-leadership_meeting")
            .await
            .contains("待辦")
    );
    browser.click("#ob-leadership_meeting a.button").await;
    browser.find("#activity-form").await;
    // The date defaults to today (typing into a date field depends on the browser's locale).
    browser.type_into("#title", "十一月安全穩定工作會議").await;
    browser
        .type_into("#participants", "劉校長、陳副校長、安全專人")
        .await;
    browser
        .type_into("#content", "部署期末安全隱患排查與冬季防火。")
        .await;
    browser.click("#activity-submit").await;
    browser
        .wait_for_text("#activity-title", "十一月安全穩定工作會議")
        .await;
    browser.click("a[href$='/calendar']").await;
    let row = browser
        .wait_for_text("#ob-leadership_meeting", "已完成")
        .await;
    assert!(row.contains("十一月安全穩定工作會議"), "{row}");
    browser
        .screenshot(&app.dir.path().join("calendar-done.png"))
        .await;
    browser.click("#logout").await;

    sign_in(&browser, &app, "admin", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser.goto(&app.url("/policy")).await;
    browser
        .type_into(
            "#source",
            "[policy]\nname = \"測試\"\nversion = \"1\"\n\n[[obligation]]\nid = \"meeting\"\ntitle = { zh-TW = \"會議\", zh-CN = \"会议\", en = \"Meeting\" }\nrole = \"principal\"\nevery = \"fortnight\"\nevidence = [{ kind = \"leadership_meeting\" }]\n",
        )
        .await;
    browser.click("#policy-submit").await;
    let errors = browser.wait_for_text("#policy-errors", "第 9 行").await;
    assert!(errors.contains("fortnight"), "{errors}");
    browser
        .goto(&app.url(&format!(
            "/units/{}/matrix",
            app.unit_id("青山縣教育局").await
        )))
        .await;
    browser.wait_for_text("#matrix", "石橋村國小").await;
    browser.screenshot(&app.dir.path().join("matrix.png")).await;
}

/// Issue 4's flow on a phone-sized screen: a teacher inspects the canteen and fails an item
/// with a photo; the hazard reaches the responsible person, who rectifies it with an
/// evidence photo; the safety officer verifies it; the month's report shows it and the
/// principal confirms it; the central school sees it arrive and another school missing.
#[tokio::test]
async fn a_failed_canteen_item_is_rectified_and_reported_upward() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let photo = app.dir.path().join("photo.jpg");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 0, 0];
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 4, 0xFF, 0xD9]);
    std::fs::write(&photo, jpeg).unwrap();
    let browser = Browser::start(390, 844, "zh-TW").await;

    sign_in(&browser, &app, "teacher", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser
        .goto(&app.url(&format!("/units/{school}/inspections")))
        .await;
    browser.click("#templates a[href$='canteen_daily']").await;
    browser.type_into("#place", "學生食堂").await;
    for item in ["health", "samples", "accompany"] {
        browser
            .click(&format!("input[name='answer.{item}'][value='pass']"))
            .await;
    }
    browser.type_into("#a-fridge", "4").await;
    browser.choose_file("#p-samples", &photo).await;
    browser
        .click("input[name='answer.raw_cooked'][value='fail']")
        .await;
    browser.type_into("#n-raw_cooked", "砧板生熟未分開").await;
    browser.choose_file("#p-raw_cooked", &photo).await;
    browser.click("#inspection-submit").await;
    let found = browser
        .wait_for_text("#found-hazards", "砧板生熟未分開")
        .await;
    assert!(found.contains("砧板"));
    browser
        .screenshot(&app.dir.path().join("inspection-phone.png"))
        .await;
    browser.click("#logout").await;

    let cook = app.db.user_for_login("canteen").await.unwrap().unwrap();
    sign_in(&browser, &app, "safety", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser
        .goto(&app.url(&format!("/units/{school}/hazards?state=reported")))
        .await;
    browser.click("#ledger a[href^='/hazards/']").await;
    browser
        .click(&format!(
            "#assign-person option[value='{}']",
            cook.person_id
        ))
        .await;
    browser.click("#step-assign button").await;
    browser.wait_for_text("#hazard-state", "已指派").await;
    let hazard_url = browser.current_url().await;
    browser.click("#logout").await;

    sign_in(&browser, &app, "canteen", DEMO_PASSWORD).await;
    browser
        .wait_for_text("#my-work", "整改隱患：學生食堂")
        .await;
    browser.click("#my-work a[href^='/hazards/']").await;
    browser
        .type_into("#submit-note", "已購置生熟分開砧板並標示")
        .await;
    browser.choose_file("#submit-attachments", &photo).await;
    browser.click("#step-submit button").await;
    browser.wait_for_text("#hazard-state", "待驗收").await;
    browser.click("#logout").await;

    sign_in(&browser, &app, "safety", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser.goto(hazard_url.split('?').next().unwrap()).await;
    browser.click("#step-verify button").await;
    browser.wait_for_text("#hazard-state", "已銷號").await;
    browser
        .goto(&app.url(&format!("/units/{school}/hazards")))
        .await;
    browser.wait_for_text("#ledger-summary", "1").await;
    browser
        .screenshot(&app.dir.path().join("ledger-phone.png"))
        .await;
    browser
        .goto(&app.url(&format!("/units/{school}/reports?month=2026-11")))
        .await;
    browser.click("#prepare-submit").await;
    let figures = browser
        .wait_for_text("#report-figures", "本月發現隱患")
        .await;
    assert!(
        figures.contains("本月發現隱患\t1") || figures.contains("本月發現隱患 1"),
        "{figures}"
    );
    browser.click("#logout").await;

    sign_in(&browser, &app, "principal", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    browser
        .goto(&app.url(&format!("/units/{school}/reports?month=2026-11")))
        .await;
    browser.click("#reports a").await;
    browser.click("#confirm-checked").await;
    browser.click("#confirm-report").await;
    browser.wait_for_text("#report-state", "已報送").await;
    browser.click("#logout").await;

    sign_in(&browser, &app, "central", DEMO_PASSWORD).await;
    browser.find("#me-name").await;
    let central = app.unit_id("青山鎮中心學校").await;
    browser
        .goto(&app.url(&format!("/units/{central}/reports?month=2026-11")))
        .await;
    let november = browser.wait_for_text("#submissions", "按時報送").await;
    assert!(november.contains("青山鎮中心國小"));
    browser
        .goto(&app.url(&format!("/units/{central}/reports?month=2026-10")))
        .await;
    browser.wait_for_text("#submissions", "未報送").await;
    browser
        .screenshot(&app.dir.path().join("reports-central.png"))
        .await;
}

/// Issue 8 on a 390 px phone: on 2 December the safety officer's home page shows November's
/// report as due soon with its deadline, never overdue; the bureau's policy page shows the
/// policy-wide numbers and asks for a reason only to correct the record.
#[tokio::test]
async fn a_phone_shows_what_waits_on_me_and_the_policy_numbers() {
    let app = TestApp::with_demo_at(time::macros::datetime!(2026-12-02 10:00 +8)).await;
    let browser = Browser::start(390, 844, "zh-TW").await;
    sign_in(&browser, &app, "safety", DEMO_PASSWORD).await;
    let work = browser.wait_for_text("#my-work", "月報").await;
    let line = work
        .lines()
        .find(|l| l.contains("月報（含零報告）"))
        .unwrap_or_else(|| panic!("{work}"))
        .to_owned();
    assert!(
        line.contains("即將到期") && line.contains("2026-12-05"),
        "{line}"
    );
    assert!(
        !line.contains("逾期"),
        "nothing is overdue before its deadline: {work}"
    );
    browser
        .screenshot(&app.dir.path().join("my-work-phone.png"))
        .await;
    browser.click("#logout").await;
    browser.wait_for_text("#login-submit", "").await;
    sign_in(&browser, &app, "admin", DEMO_PASSWORD).await;
    // The sign-in has landed on the home page before the next page is opened.
    browser.wait_for_text("#me-name", "張志強").await;
    browser.goto(&app.url("/policy")).await;
    let numbers = browser.text("#policy-settings").await;
    assert!(
        numbers.contains("一般隱患整改天數") && numbers.contains("14"),
        "{numbers}"
    );
    assert!(browser.page_text().await.contains("更正紀錄的原因"));
    browser
        .screenshot(&app.dir.path().join("policy-phone.png"))
        .await;
}

/// Issue 8 (R-POL-1), in Chromium: a bureau officer opens the policy form, changes a hazard
/// deadline and an obligation's grace days, types a bad value and sees the mistake next to
/// its field with everything typed kept, fixes it, is refused a back-dated version without a
/// reason, saves a new version, and the comparison shows the change.
#[tokio::test]
async fn a_bureau_officer_edits_the_policy_in_the_form() {
    let app = TestApp::with_demo_at(time::macros::datetime!(2026-12-02 10:00 +8)).await;
    let browser = Browser::start(390, 844, "zh-TW").await;
    sign_in(&browser, &app, "admin", DEMO_PASSWORD).await;
    browser.wait_for_text("#me-name", "張志強").await;
    browser.goto(&app.url("/policy")).await;
    browser.click("#policy-edit-link").await;
    browser.wait_for_text("h1", "以表單修改政策").await;
    // An obligation is folded away until opened.
    browser.click("#edit-leadership_meeting summary").await;
    browser.type_into("#f-obligation-0-grace_days", "4").await;
    browser.type_into("#f-setting-hazard_major_days", "0").await;
    browser.click("#policy-edit-submit").await;
    let note = browser
        .wait_for_text("#f-setting-hazard_major_days-note", "1 到 180")
        .await;
    assert!(note.contains('0'), "the bad value is named: {note}");
    assert_eq!(browser.value("#f-setting-hazard_major_days").await, "0");
    assert_eq!(
        browser.value("#f-obligation-0-grace_days").await,
        "4",
        "what was typed elsewhere is kept"
    );
    browser
        .screenshot(&app.dir.path().join("policy-form-error.png"))
        .await;
    browser.type_into("#f-setting-hazard_major_days", "2").await;
    browser.pick("#f-effective_from", "2026-11-01").await;
    browser.click("#policy-edit-submit").await;
    browser
        .wait_for_text("#f-correction-note", "生效日期早於今天")
        .await;
    assert_eq!(browser.value("#f-setting-hazard_major_days").await, "2");
    browser.pick("#f-effective_from", "2026-12-03").await;
    browser.click("#policy-edit-submit").await;
    browser.wait_for_text("body", "新版本已儲存").await;
    browser.click("a[href='/policy/compare?a=0&b=1']").await;
    let row = browser.text("#cmp-hazard_major_days").await;
    assert!(
        row.contains("修改") && row.contains('3') && row.contains('2'),
        "{row}"
    );
    let row = browser.text("#cmp-leadership_meeting").await;
    assert!(row.contains("寬限天數"), "{row}");
}
