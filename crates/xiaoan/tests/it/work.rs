//! Obligations at work (R-POL-2, R-CAL-1, R-MTG-1): the demo county on a fixed day, a
//! school's calendar and a supervisor's matrix, records turning obligations done, files
//! checked and stripped, and who may see and record what.

use testkit::{DEMO_PASSWORD, TestApp};
use time::macros::datetime;

/// Friday 20 November 2026, mid-morning in the county: in the autumn term.
pub async fn county() -> TestApp {
    TestApp::with_demo_at(datetime!(2026-11-20 10:00 +8)).await
}

/// A meeting's form as a browser sends it: the CSRF token first.
fn meeting_form(csrf: &str, title: &str, participants: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_owned())
        .text("kind", "leadership_meeting")
        .text("subtype", "")
        .text("held_on", "2026-11-19")
        .text("title", title.to_owned())
        .text("participants", participants.to_owned())
        .text("content", "研究期末安全工作。")
}

/// The state shown for an obligation's row on a calendar page.
pub fn row_state(page: &str, obligation: &str) -> String {
    let start = page
        .find(&format!("id=\"ob-{obligation}\""))
        .unwrap_or_else(|| panic!("no row for {obligation}"));
    let row = &page[start..];
    let badge = row.find("class=\"badge st-").unwrap() + "class=\"badge st-".len();
    row[badge..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn recording_a_meeting_turns_the_obligation_done() {
    let app = county().await;
    let school = app.unit_id("石橋村國小").await;
    let (principal, csrf) = app.login("sq.principal", DEMO_PASSWORD).await;
    let (status, page) = app
        .get(&principal, &format!("/units/{school}/calendar"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        row_state(&page, "leadership_meeting"),
        "due",
        "R-MTG-1: not met yet this month"
    );

    let form = meeting_form(&csrf, "十一月安全穩定工作會議", "張校長、李副校長、王老師");
    let saved = principal
        .post(app.url(&format!("/units/{school}/activities")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let record = saved.headers()["location"].to_str().unwrap().to_owned();
    let (_, shown) = app.get(&principal, &record).await;
    assert!(shown.contains("十一月安全穩定工作會議") && shown.contains("張校長"));

    let (_, page) = app
        .get(&principal, &format!("/units/{school}/calendar"))
        .await;
    assert_eq!(row_state(&page, "leadership_meeting"), "done");
    assert!(
        page.contains("十一月安全穩定工作會議"),
        "the record is linked from its obligation"
    );

    let (central, _) = app.login("central", DEMO_PASSWORD).await;
    let (_, matrix) = app.get(&central, "/matrix").await;
    assert_eq!(
        matrix.matches("data-school=").count(),
        0,
        "/matrix redirects to the unit"
    );
    let central_unit = app.unit_id("青山鎮中心學校").await;
    let (status, matrix) = app
        .get(&central, &format!("/units/{central_unit}/matrix"))
        .await;
    assert_eq!(status, 200);
    assert!(
        matrix.contains("data-school=\"石橋村國小\"")
            && matrix.contains("領導小組安全穩定工作會議")
    );
}

#[tokio::test]
async fn a_meeting_needs_attendees_and_a_bad_file_is_refused_keeping_what_was_typed() {
    let app = county().await;
    let school = app.unit_id("石橋村國小").await;
    let (principal, csrf) = app.login("sq.principal", DEMO_PASSWORD).await;
    let form = meeting_form(&csrf, "十一月會議", "").part(
        "files",
        reqwest::multipart::Part::bytes(b"just text, not a photo".to_vec()).file_name("photo.jpg"),
    );
    let refused = principal
        .post(app.url(&format!("/units/{school}/activities")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("此欄為必填"),
        "attendees are required for a meeting"
    );
    assert!(
        page.contains("只接受照片"),
        "the file is refused with a reason"
    );
    assert!(
        page.contains("value=\"十一月會議\""),
        "the title typed is kept"
    );
    let (_, calendar) = app
        .get(&principal, &format!("/units/{school}/calendar"))
        .await;
    assert_eq!(
        row_state(&calendar, "leadership_meeting"),
        "due",
        "nothing was saved"
    );
}

/// A JPEG with an Exif segment holding a GPS marker.
fn jpeg_with_location() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0GPSLatitude=24.1477N";
    jpeg.extend_from_slice(&[0xFF, 0xE1, 0, (exif.len() + 2) as u8]);
    jpeg.extend_from_slice(exif);
    jpeg.extend_from_slice(&[0xFF, 0xDB, 0, 4, 0, 0]);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 4, 0xFF, 0xD9]);
    jpeg
}

#[tokio::test]
async fn photos_lose_their_location_and_are_kept_for_those_who_may_see_them() {
    let app = county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (legal, csrf) = app.login("legal", DEMO_PASSWORD).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf)
        .text("kind", "legal_lecture")
        .text("held_on", "2026-11-18")
        .text("title", "法治講座：網路安全")
        .part(
            "files",
            reqwest::multipart::Part::bytes(jpeg_with_location()).file_name("現場.jpg"),
        );
    let saved = legal
        .post(app.url(&format!("/units/{school}/activities")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let record = saved.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = app.get(&legal, &record).await;
    let link = page.split("href=\"/attachments/").nth(1).unwrap();
    let attachment = format!("/attachments/{}", link.split('"').next().unwrap());
    let file = legal.get(app.url(&attachment)).send().await.unwrap();
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    let bytes = file.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    assert!(
        !bytes.windows(11).any(|w| w == b"GPSLatitude"),
        "the location metadata is gone"
    );

    let (other, _) = app.login("lx.principal", DEMO_PASSWORD).await;
    assert_eq!(
        other.get(app.url(&record)).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        other
            .get(app.url(&attachment))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (admin, _) = app.login("admin", DEMO_PASSWORD).await;
    assert_eq!(
        admin
            .get(app.url(&attachment))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn supervisors_see_who_is_behind_and_may_not_record_for_a_school() {
    let app = county().await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let (_, home) = app.get(&admin, "/").await;
    let behind = &home[home.find("id=\"behind\"").unwrap()..];
    let behind = &behind[..behind.find("</section>").unwrap()];
    assert!(
        behind.contains("柳溪村國小") && behind.contains("期中安全演練"),
        "{behind}"
    );
    let on_track = behind
        .split("<li>")
        .find(|li| li.contains("青山鎮中心國小"))
        .unwrap_or("");
    assert!(
        !on_track.contains("逾期或未完成"),
        "the school on track has nothing late: {on_track}"
    );
    assert!(
        behind.find("柳溪村國小") < behind.find("青山鎮中心國小"),
        "the schools most behind come first"
    );

    let school = app.unit_id("柳溪村國小").await;
    let form = meeting_form(&csrf, "代為記錄", "某人");
    let refused = admin
        .post(app.url(&format!("/units/{school}/activities")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        403,
        "a school's records are the school's own"
    );

    let xlsx = admin
        .get(app.url(&format!(
            "/units/{}/matrix.xlsx?month=2026-10",
            app.unit_id("青山縣教育局").await
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(bytes.starts_with(b"PK"), "an xlsx file");
    assert!(!text.is_empty());
}

/// Adds the 2027 autumn term to the bureau with the given mid-term date.
async fn add_term(
    app: &TestApp,
    admin: &reqwest::Client,
    csrf: &str,
    bureau: &str,
    mid: &str,
) -> reqwest::Response {
    let path = format!("/units/{bureau}/terms");
    let fields = [
        ("school_year", "2027"),
        ("number", "1"),
        ("starts", "2027-09-01"),
        ("mid", mid),
        ("ends", "2028-01-20"),
    ];
    app.post(admin, csrf, &path, &fields).await
}

#[tokio::test]
async fn a_term_runs_forward_and_a_kindergarten_keeps_its_own_calendar() {
    let app = county().await;
    let bureau = app.unit_id("青山縣教育局").await;
    let (admin, csrf) = app.login("admin", DEMO_PASSWORD).await;
    let refused = add_term(&app, &admin, &csrf, &bureau, "2027-08-01").await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("日期須依序") && page.contains("value=\"2027-08-01\""));
    let saved = add_term(&app, &admin, &csrf, &bureau, "2027-11-08").await;
    assert_eq!(saved.status(), 303);
    let (_, page) = app.get(&admin, &format!("/units/{bureau}/terms")).await;
    assert!(page.contains("2027–2028 學年上學期"));

    let school = app.unit_id("柳溪村國小").await;
    let (_, page) = app.get(&admin, &format!("/units/{school}/terms")).await;
    assert!(page.contains("id=\"inherited\"") && page.contains("青山縣教育局"));
    let (lx, _) = app.login("lx.principal", DEMO_PASSWORD).await;
    let (_, own) = app.get(&lx, &format!("/units/{school}/terms")).await;
    assert!(
        own.contains("id=\"inherited\"")
            && own.contains("上級單位")
            && !own.contains("青山縣教育局"),
        "a school is told its calendar comes from above without reading a unit it cannot see"
    );
    let kindergarten = app.unit_id("青山鎮中心幼稚園").await;
    let (_, page) = app
        .get(&admin, &format!("/units/{kindergarten}/terms"))
        .await;
    assert!(!page.contains("id=\"inherited\"") && page.contains("2026-09-07"));
}

/// Issue 8: on 2 December, November's report — due by 5 December — is on the safety
/// officer's home page as due, never overdue; the calendar of November says the same.
#[tokio::test]
async fn last_months_report_is_due_not_overdue_before_its_deadline() {
    let app = TestApp::with_demo_at(datetime!(2026-12-02 10:00 +8)).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (safety, _) = app.login("safety", DEMO_PASSWORD).await;
    let (_, home) = app.get(&safety, "/").await;
    let item = home
        .split("<li")
        .find(|li| li.contains("月報（含零報告）報中心學校"))
        .unwrap_or_else(|| panic!("November's report is the safety officer's work: {home}"));
    assert!(item.contains("2026-12-05"), "with its deadline: {item}");
    assert!(
        item.contains("即將到期") && !item.contains("逾期"),
        "{item}"
    );
    let (_, november) = app
        .get(&safety, &format!("/units/{school}/calendar?month=2026-11"))
        .await;
    assert_eq!(row_state(&november, "monthly_report"), "due");
}
