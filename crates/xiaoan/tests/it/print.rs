//! Issue 8: pages on paper. The term matrix prints on A4 landscape with every column on
//! the sheet and its header row repeated on each sheet.

use serde_json::{Value, json};
use testkit::{Browser, DEMO_PASSWORD, TestApp};

/// The width of A4 landscape inside its 10 mm margins, in CSS pixels (277 mm at 96 dpi).
const A4_LANDSCAPE_WIDTH: u32 = 1047;

#[tokio::test]
async fn the_term_matrix_prints_on_a4_landscape_with_every_column() {
    let app = TestApp::with_demo_at(time::macros::datetime!(2026-12-02 10:00 +8)).await;
    let bureau = app.unit_id("青山縣教育局").await;
    let browser = Browser::start(A4_LANDSCAPE_WIDTH, 740, "zh-TW").await;
    browser.goto(&app.url("/login")).await;
    browser.type_into("#username", "admin").await;
    browser.type_into("#password", DEMO_PASSWORD).await;
    browser.click("#login-submit").await;
    browser.find("#me-name").await;
    browser
        .goto(&app.url(&format!("/units/{bureau}/matrix?span=term")))
        .await;
    browser.find("#matrix").await;
    browser
        .devtools("Emulation.setEmulatedMedia", json!({ "media": "print" }))
        .await;
    let sheet = browser
        .execute(
            "const table = document.getElementById('matrix'); \
             const last = table.querySelector('thead th:last-child').getBoundingClientRect(); \
             const cells = table.querySelectorAll('thead th').length; \
             return { right: last.right, width: document.documentElement.clientWidth, \
                      scroll: document.documentElement.scrollWidth, cells: cells, \
                      header: getComputedStyle(table.tHead).display, \
                      page: getComputedStyle(document.querySelector('main')).page, \
                      chrome: getComputedStyle(document.querySelector('header.top')).display };",
            Vec::new(),
        )
        .await;
    let number = |key: &str| sheet[key].as_f64().unwrap_or(f64::MAX);
    assert!(
        number("cells") > 10.0,
        "the term matrix has its columns: {sheet}"
    );
    assert!(
        number("right") <= number("width") && number("scroll") <= number("width"),
        "the last column is on the sheet: {sheet}"
    );
    assert_eq!(
        sheet["header"],
        Value::from("table-header-group"),
        "{sheet}"
    );
    assert_eq!(sheet["page"], Value::from("wide"), "A4 landscape: {sheet}");
    assert_eq!(
        sheet["chrome"],
        Value::from("none"),
        "no navigation on paper"
    );
}
