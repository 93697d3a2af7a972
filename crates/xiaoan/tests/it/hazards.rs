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

    let canteen = app.app.db.user_for_login("canteen").await.unwrap().unwrap();
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
    let me = app.app.db.user_for_login("safety").await.unwrap().unwrap();
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
