//! Roster import from .xlsx: a template to download, a preview, and when any row is bad,
//! nothing imported and a report naming each bad row, column and reason.

use testkit::{DEMO_PASSWORD, TestApp, hidden_value};

/// An .xlsx roster with a header row and these data rows.
pub fn roster(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, title) in ["年級組", "班級", "姓名", "電話", "職務", "帳號"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *cell).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    school: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("roster.xlsx"),
        );
    client
        .post(app.url(&format!("/org/units/{school}/import")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_template_downloads_as_xlsx() {
    let app = TestApp::with_demo().await;
    let (client, _) = app.login("principal", DEMO_PASSWORD).await;
    let response = client
        .get(app.url("/org/import-template.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip file");
}

#[tokio::test]
async fn a_bad_row_imports_nothing_and_is_named() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let before = app
        .db
        .people_count(&domain::scope::Scope::system("t"))
        .await
        .unwrap();
    let bytes = roster(&[
        [
            "五年級",
            "五年三班",
            "馮雅婷",
            "13900000001",
            "班主任",
            "feng.yt",
        ],
        ["五年級", "", "韓志偉", "1390000000x", "教師", ""],
        ["", "", "蔣麗", "", "保安隊長", ""],
    ]);
    let response = upload(&app, &client, &csrf, &school, bytes).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("尚未匯入任何資料"));
    assert!(
        page.contains("<td>3</td><td>電話</td>"),
        "row 3, phone column"
    );
    assert!(
        page.contains("<td>4</td><td>職務</td>"),
        "row 4, role column"
    );
    assert_eq!(
        app.db
            .people_count(&domain::scope::Scope::system("t"))
            .await
            .unwrap(),
        before
    );
}

#[tokio::test]
async fn a_good_roster_previews_then_imports() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let before = app
        .db
        .people_count(&domain::scope::Scope::system("t"))
        .await
        .unwrap();
    let bytes = roster(&[
        ["五年級", "", "", "", "", ""],
        [
            "五年級",
            "五年三班",
            "馮雅婷",
            "13900000001",
            "班主任",
            "feng.yt",
        ],
        ["五年級", "", "韓志偉", "13900000002", "teacher", ""],
    ]);
    let response = upload(&app, &client, &csrf, &school, bytes).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("馮雅婷") && page.contains("確認匯入"));
    assert_eq!(
        app.db
            .people_count(&domain::scope::Scope::system("t"))
            .await
            .unwrap(),
        before,
        "a preview changes nothing"
    );
    let rows = hidden_value(&page, "rows").unwrap();
    let done = client
        .post(app.url(&format!("/org/units/{school}/import/confirm")))
        .form(&[("_csrf", csrf.as_str()), ("rows", rows.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let page = done.text().await.unwrap();
    assert!(
        page.contains("匯入完成") && page.contains("feng.yt"),
        "{page}"
    );
    assert_eq!(
        app.db
            .people_count(&domain::scope::Scope::system("t"))
            .await
            .unwrap(),
        before + 2
    );
}
