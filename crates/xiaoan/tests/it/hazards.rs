//! Hazards driven to closure (R-HZD-3): reported with a photo, assigned with the policy's
//! deadline, rectified with evidence, sent back, verified by someone other than the
//! rectifier; a major hazard alerts the central school; the ledger filters and exports.

use testkit::{DEMO_PASSWORD, TestApp};

pub fn photo() -> reqwest::multipart::Part {
    // The smallest JPEG the upload check accepts: SOI, a quantisation table, a scan, EOI.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 0, 0];
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 4, 0xFF, 0xD9]);
    reqwest::multipart::Part::bytes(jpeg).file_name("photo.jpg")
}

/// Posts a step on a hazard as `client`.
pub async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    hazard: &str,
    fields: &[(&str, &str)],
    with_photo: bool,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("_csrf", csrf.to_owned());
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    if with_photo {
        form = form.part("files", photo());
    }
    client
        .post(app.url(&format!("{hazard}/steps")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn report(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    school: &str,
    severity: &str,
) -> String {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_owned())
        .text("place", "食堂後門")
        .text("description", "滅火器壓力不足，已過檢驗期限。")
        .text("severity", severity.to_owned())
        .part("files", photo());
    let saved = client
        .post(app.url(&format!("/units/{school}/hazards")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().unwrap();
    location.split('?').next().unwrap().to_owned()
}

fn state_of(page: &str) -> &str {
    let start = page.find("id=\"hazard-state\">").unwrap() + "id=\"hazard-state\">".len();
    &page[start..start + page[start..].find('<').unwrap()]
}

#[tokio::test]
async fn a_hazard_goes_round_the_loop_and_closes() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (teacher, tcsrf) = app.login("teacher", DEMO_PASSWORD).await;
    let hazard = report(&app, &teacher, &tcsrf, &school, "general").await;
    let (_, page) = app.get(&teacher, &hazard).await;
    assert_eq!(state_of(&page), "已報告");
    assert!(
        page.contains("photo.jpg"),
        "the photo is kept with the report"
    );
    assert!(
        !page.contains("id=\"step-assign\""),
        "a teacher does not assign"
    );

    let canteen = app.db.user_for_login("canteen").await.unwrap().unwrap();
    let (safety, scsrf) = app.login("safety", DEMO_PASSWORD).await;
    let assigned = step(
        &app,
        &safety,
        &scsrf,
        &hazard,
        &[
            ("action", "assign"),
            ("person", &canteen.person_id.to_string()),
        ],
        false,
    )
    .await;
    assert_eq!(assigned.status(), 303);
    let (_, page) = app.get(&safety, &hazard).await;
    assert_eq!(state_of(&page), "已指派");
    assert!(
        page.contains("2026-12-04"),
        "14 days for a general hazard, from the policy"
    );

    let (cook, ccsrf) = app.login("canteen", DEMO_PASSWORD).await;
    let refused = step(
        &app,
        &cook,
        &ccsrf,
        &hazard,
        &[("action", "submit"), ("note", "已更換滅火器")],
        false,
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused.text().await.unwrap().contains("請附上照片"),
        "evidence is required"
    );
    let submitted = step(
        &app,
        &cook,
        &ccsrf,
        &hazard,
        &[("action", "submit"), ("note", "已更換滅火器")],
        true,
    )
    .await;
    assert_eq!(submitted.status(), 303);

    let (principal, pcsrf) = app.login("principal", DEMO_PASSWORD).await;
    let back = step(
        &app,
        &principal,
        &pcsrf,
        &hazard,
        &[("action", "send_back"), ("note", "標籤未更新")],
        false,
    )
    .await;
    assert_eq!(back.status(), 303);
    let (_, page) = app.get(&principal, &hazard).await;
    assert_eq!(state_of(&page), "整改中");
    let again = step(
        &app,
        &cook,
        &ccsrf,
        &hazard,
        &[("action", "submit"), ("note", "標籤已更新")],
        true,
    )
    .await;
    assert_eq!(again.status(), 303);
    let closed = step(
        &app,
        &safety,
        &scsrf,
        &hazard,
        &[("action", "verify")],
        false,
    )
    .await;
    assert_eq!(closed.status(), 303);
    let (_, page) = app.get(&safety, &hazard).await;
    assert_eq!(state_of(&page), "已銷號");
    for word in [
        "報告",
        "指派整改",
        "提交整改",
        "退回重改",
        "驗收銷號",
        "標籤未更新",
    ] {
        assert!(page.contains(word), "the timeline shows {word}");
    }

    let (_, ledger) = app
        .get(&safety, &format!("/units/{school}/hazards?state=closed"))
        .await;
    assert!(ledger.contains("食堂後門") && ledger.contains("已銷號"));
    let (_, open) = app
        .get(&safety, &format!("/units/{school}/hazards?state=open"))
        .await;
    assert!(!open.contains("data-hazard="), "nothing open");
    let xlsx = safety
        .get(app.url(&format!("/units/{school}/hazards.xlsx?state=closed")))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    // Issue 8: dates are dates, the header stays in view with a filter.
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let reported_on = sheet.get((1, 0)).unwrap();
    assert!(
        matches!(reported_on, Data::DateTime(_)),
        "the report date is a date, not text: {reported_on:?}"
    );
    let sheet_xml = {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut text = String::new();
        archive
            .by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert!(
        sheet_xml.contains("<pane ") && sheet_xml.contains("<autoFilter "),
        "{sheet_xml}"
    );
}

#[tokio::test]
async fn the_rectifier_cannot_verify_their_own_work() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (safety, csrf) = app.login("safety", DEMO_PASSWORD).await;
    let hazard = report(&app, &safety, &csrf, &school, "general").await;
    let me = app.db.user_for_login("safety").await.unwrap().unwrap();
    let person = me.person_id.to_string();
    for (fields, photo) in [
        (
            vec![("action", "assign"), ("person", person.as_str())],
            false,
        ),
        (vec![("action", "submit"), ("note", "已處理")], true),
    ] {
        assert_eq!(
            step(&app, &safety, &csrf, &hazard, &fields, photo)
                .await
                .status(),
            303
        );
    }
    let refused = step(
        &app,
        &safety,
        &csrf,
        &hazard,
        &[("action", "verify")],
        false,
    )
    .await;
    assert!(
        refused.status() == 403 || refused.status() == 409,
        "{}",
        refused.status()
    );
    let (_, page) = app.get(&safety, &hazard).await;
    assert_eq!(state_of(&page), "待驗收");
}

#[tokio::test]
async fn a_major_hazard_reaches_the_central_school_at_once() {
    let app = super::work::county().await;
    let school = app.unit_id("柳溪村國小").await;
    let (principal, csrf) = app.login("lx.principal", DEMO_PASSWORD).await;
    let hazard = report(&app, &principal, &csrf, &school, "major").await;
    let (central, _) = app.login("central", DEMO_PASSWORD).await;
    let (_, home) = app.get(&central, "/").await;
    assert!(home.contains("【重大隱患】柳溪村國小") && home.contains(&hazard));
    // A teacher's major hazard reaches the school's own principal and safety officer too,
    // and waits on them to be assigned at once.
    let school = app.unit_id("青山鎮中心國小").await;
    let (teacher, tcsrf) = app.login("teacher", DEMO_PASSWORD).await;
    let own = report(&app, &teacher, &tcsrf, &school, "major").await;
    for leader in ["principal", "safety"] {
        let (client, _) = app.login(leader, DEMO_PASSWORD).await;
        let (_, home) = app.get(&client, "/").await;
        assert!(
            home.contains("【重大隱患】青山鎮中心國小") && home.contains(&own),
            "{leader}"
        );
        assert!(
            home.contains("重大隱患，請立即分派：食堂後門"),
            "{leader}: {home}"
        );
    }
    let (_, home) = app.get(&teacher, "/").await;
    assert!(
        !home.contains("【重大隱患】"),
        "the reporter is not alerted of their own report"
    );
    let (status, _) = app.get(&central, &hazard).await;
    assert_eq!(status, 200, "the central school opens it");
    let (other, _) = app.login("p2.principal", DEMO_PASSWORD).await;
    let (status, _) = app.get(&other, &hazard).await;
    assert_eq!(status, 404, "another school does not");
}

/// Three hazards in three schools, of two categories and three months, written as the
/// store writes them.
async fn three_hazards(app: &TestApp) {
    use domain::hazard::{Category, Hazard, HazardState, Severity};
    let system = domain::scope::Scope::system("test");
    let mut write = app.db.write(&system, app.app.now()).await.unwrap();
    for (school, place, category, day) in [
        ("青山鎮中心國小", "東側樓梯", Category::Fire, "2026-11-10"),
        ("柳溪村國小", "食堂後門", Category::Food, "2026-10-05"),
        ("青山縣第一中學", "宿舍三樓", Category::Fire, "2026-09-01"),
    ] {
        let id = app.unit_id(school).await.parse().unwrap();
        let school = app.db.unit(&system, id).await.unwrap();
        let hazard = Hazard {
            id: domain::ids::HazardId::new(),
            school_id: school.id,
            school_path: school.path.to_string(),
            place: place.into(),
            description: "待整改".into(),
            severity: Severity::General,
            category: Some(category),
            state: HazardState::Reported,
            responsible_id: None,
            responsible_name: None,
            deadline: None,
            submitted_by: None,
            source: None,
            reported_by: "測試".into(),
            reported_on: domain::calendar::parse_date(day).unwrap(),
            closed_on: None,
        };
        write.add_hazard(&school, &hazard, None).await.unwrap();
    }
    write.commit().await.unwrap();
}

fn lines_of(page: &str) -> usize {
    page.matches("data-hazard=").count()
}

#[tokio::test]
async fn the_county_ledger_filters_by_school_dates_and_category() {
    // Issue 8 (deliver 5): school, found-on dates and category, kept in the form, followed
    // by the export, the print and the API.
    let app = super::work::county().await;
    three_hazards(&app).await;
    let county = app.unit_id("青山縣教育局").await;
    let liuxi = app.unit_id("柳溪村國小").await;
    let (admin, _) = app.login("admin", DEMO_PASSWORD).await;

    let (status, all) = app.get(&admin, &format!("/units/{county}/hazards")).await;
    assert_eq!(status, 200);
    assert_eq!(lines_of(&all), 3);

    let (_, one) = app
        .get(&admin, &format!("/units/{county}/hazards?school={liuxi}"))
        .await;
    assert_eq!(lines_of(&one), 1);
    assert!(one.contains("食堂後門") && one.contains("飲食衛生"));
    assert!(
        one.contains(&format!("<option value=\"{liuxi}\" selected>")),
        "the chosen school stays chosen"
    );
    assert!(
        one.contains("id=\"ledger-applied\"") && one.contains("柳溪村國小"),
        "the printed page says what it was filtered by"
    );

    let fire = format!("/units/{county}/hazards?category=fire&from=2026-10-01&to=2026-11-30");
    let (_, fire_page) = app.get(&admin, &fire).await;
    assert_eq!(
        lines_of(&fire_page),
        1,
        "fire, found in October or November"
    );
    assert!(fire_page.contains("東側樓梯"));
    assert!(
        fire_page.contains("value=\"2026-10-01\"") && fire_page.contains("value=\"2026-11-30\"")
    );
    assert!(fire_page.contains("<option value=\"fire\" selected>"));

    let xlsx = admin
        .get(app.url(&format!(
            "/units/{county}/hazards.xlsx?category=fire&from=2026-10-01&to=2026-11-30"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    use calamine::Reader;
    let bytes = xlsx.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), 2, "the header and the one fire hazard");

    let token = app.token("admin", DEMO_PASSWORD).await;
    let listed: serde_json::Value = app
        .api_get(
            &token,
            &format!("/api/v1/units/{county}/hazards?category=fire&to=2026-10-31"),
        )
        .await;
    let places: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["place"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["宿舍三樓"]);
    assert_eq!(listed[0]["category"], "fire");
}

#[tokio::test]
async fn a_bad_ledger_filter_is_named_never_an_empty_list() {
    let app = super::work::county().await;
    three_hazards(&app).await;
    let county = app.unit_id("青山縣教育局").await;
    let central = app.unit_id("青山鎮中心學校").await;
    let high_school = app.unit_id("青山縣第一中學").await;
    let (admin, _) = app.login("admin", DEMO_PASSWORD).await;

    let (status, page) = app
        .get(
            &admin,
            &format!("/units/{county}/hazards?from=2026-13-40&category=weather"),
        )
        .await;
    assert_eq!(status, 200, "the form comes back to be corrected");
    assert!(page.contains("id=\"ledger-errors\""));
    assert!(page.contains("「2026-13-40」不是有效的日期") && page.contains("2026-12-02"));
    assert!(page.contains("「weather」") && page.contains("fire（消防安全）"));
    assert_eq!(lines_of(&page), 0);
    assert!(page.contains("id=\"ledger-refused\""), "not 'no hazards'");
    assert!(!page.contains("沒有符合條件的隱患"));

    let (_, backwards) = app
        .get(
            &admin,
            &format!("/units/{county}/hazards?from=2026-11-30&to=2026-10-01"),
        )
        .await;
    assert!(backwards.contains("結束日期 2026-10-01 早於開始日期"));

    // A school the central school does not oversee is out of its sight.
    let (central_user, _) = app.login("central", DEMO_PASSWORD).await;
    let (_, out_of_sight) = app
        .get(
            &central_user,
            &format!("/units/{central}/hazards?school={high_school}"),
        )
        .await;
    assert!(out_of_sight.contains(&format!("「{high_school}」不是本單位下您可查看的學校")));
    assert_eq!(lines_of(&out_of_sight), 0);

    let export = admin
        .get(app.url(&format!("/units/{county}/hazards.xlsx?to=yesterday")))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 422, "the export follows the same filter");

    let token = app.token("admin", DEMO_PASSWORD).await;
    let refused = TestApp::client()
        .get(app.url(&format!("/api/v1/units/{county}/hazards?from=2026-13-40")))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "from");
    let detail = problem["errors"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("2026-13-40") && detail.contains("2026-12-02"),
        "{detail}"
    );
}

/// Issue 8 (the hazard page on a phone): titled by its place and first words, times in
/// local time as the language writes them, one form per action each with its own label,
/// and the people to assign grouped by role — only those who can sign in.
#[tokio::test]
async fn a_hazard_page_names_the_hazard_and_offers_only_people_who_can_sign_in() {
    let app = TestApp::with_demo().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (safety, csrf) = app.login("safety", DEMO_PASSWORD).await;
    let hazard = report(&app, &safety, &csrf, &school, "general").await;
    let (_, page) = app.get(&safety, &hazard).await;
    assert!(
        page.contains("<h1 id=\"hazard-title\">食堂後門：滅火器壓力不足，已過檢驗期限。</h1>"),
        "{page}"
    );
    let steps = &page[page.find("id=\"hazard-steps\"").unwrap()..];
    let time = &steps[steps.find("<time>").unwrap() + "<time>".len()..];
    let time = &time[..time.find("</time>").unwrap()];
    assert!(
        time.contains('年') && time.contains('日') && !time.contains('T') && !time.contains('+'),
        "{time}"
    );
    assert!(
        page.contains("<label for=\"assign-note\">給責任人的說明</label>")
            && page.contains("id=\"step-assign-h\">指派整改</h3>"),
        "each form has its own label"
    );
    let select = &page[page.find("id=\"assign-person\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(
        select.contains("<optgroup label=\"校長\"><option")
            && select.contains("王建國")
            && select.contains("<optgroup label=\"安全專人\"><option"),
        "{select}"
    );
    assert!(
        !select.contains("李秀英"),
        "the vice principal has no login, so she is not offered: {select}"
    );
    assert!(
        select.find("王建國") < select.find("陳美玲"),
        "the principal's group comes before the teachers': {select}"
    );
}
