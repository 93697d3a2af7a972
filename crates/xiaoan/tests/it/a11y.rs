//! Issue 8 (deliver 4): every page a school user and a bureau user reach, checked in
//! headless Chromium by axe-core (WCAG 2.1 A and AA: nothing found) in Traditional Chinese
//! on a desk and on a 320 px phone, and in English on that phone; no page may scroll
//! sideways at 320 px. A refused form marks its fields for a screen reader and puts the
//! focus on its summary.
//!
//! axe-core comes from npm: scripts/test installs it into `target/axe` (or set
//! `XIAOAN_AXE_JS` to an `axe.min.js`).

use serde_json::Value;
use testkit::{Browser, DEMO_PASSWORD, TestApp};

const WCAG_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

fn axe_source() -> String {
    let path = std::env::var("XIAOAN_AXE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../target/axe/node_modules/axe-core/axe.min.js"
        )
        .to_owned()
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is needed at {path} ({e}): run `npm install --prefix target/axe axe-core@4` \
             (scripts/test does)"
        )
    })
}

/// What axe-core finds on the open page, one line per rule with the elements it names.
async fn violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.execute(axe, Vec::new()).await;
    let found = browser
        .execute(
            &format!(
                "return axe.run(document, {{ runOnly: {{ type: 'tag', values: {WCAG_TAGS} }} }})\
                 .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + \
                 v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ')))"
            ),
            Vec::new(),
        )
        .await;
    match found {
        Value::Array(lines) => lines
            .iter()
            .map(|l| l.as_str().unwrap_or_default().to_owned())
            .collect(),
        other => vec![format!("axe did not run: {other}")],
    }
}

/// How wide the page is in CSS pixels (wider than the screen: it scrolls sideways).
async fn page_width(browser: &Browser) -> i64 {
    browser
        .execute("return document.documentElement.scrollWidth;", Vec::new())
        .await
        .as_i64()
        .unwrap_or(i64::MAX)
}

/// The elements that reach past the right edge of the screen outside a scrolling box.
async fn too_wide(browser: &Browser) -> Value {
    browser
        .execute(
            "return [...document.querySelectorAll('body *')]\
             .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.parentElement.closest('.scroll'))\
             .slice(0, 6).map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') \
             + ' ' + Math.round(e.getBoundingClientRect().right));",
            Vec::new(),
        )
        .await
}

async fn sign_in(browser: &Browser, app: &TestApp, username: &str) {
    browser.goto(&app.url("/login")).await;
    browser.type_into("#username", username).await;
    browser.type_into("#password", DEMO_PASSWORD).await;
    browser.click("#login-submit").await;
    browser.find("#me-name").await;
}

/// The `href` of the first element matching `css` on the open page.
async fn first_link(browser: &Browser, css: &str) -> String {
    browser.find(css).await;
    browser
        .execute(
            "return document.querySelector(arguments[0]).getAttribute('href');",
            vec![Value::from(css)],
        )
        .await
        .as_str()
        .unwrap_or_else(|| panic!("no link {css}"))
        .to_owned()
}

/// Opens each page at each width and lists what is wrong with it.
async fn check_pages(app: &TestApp, username: &str, pages: &[String]) -> Vec<String> {
    let axe = axe_source();
    let mut problems = Vec::new();
    // Traditional Chinese on a desk and a phone; English on a phone, where its longer
    // words are likelier to push a page wider than the screen.
    for (width, height, lang) in [(1366, 900, "zh-TW"), (320, 720, "zh-TW"), (320, 720, "en")] {
        let browser = Browser::start(width, height, lang).await;
        browser.goto(&app.url("/login")).await;
        browser.find("#login-submit").await;
        for v in violations(&browser, &axe).await {
            problems.push(format!("{lang} {width} px /login: {v}"));
        }
        sign_in(&browser, app, username).await;
        if lang == "en" {
            browser.click("#lang-form button[value='en']").await;
            browser.wait_for_text("#logout", "Log out").await;
        }
        for (n, page) in pages.iter().enumerate() {
            browser.goto(&app.url(page)).await;
            browser.find("main").await;
            browser
                .screenshot(
                    &app.dir
                        .path()
                        .join(format!("{username}-{lang}-{width}-{n:02}.png")),
                )
                .await;
            for v in violations(&browser, &axe).await {
                problems.push(format!("{lang} {width} px {page}: {v}"));
            }
            let wide = page_width(&browser).await;
            if width == 320 && wide > 320 {
                problems.push(format!(
                    "{lang} 320 px {page}: the page is {wide} px wide and scrolls sideways: {}",
                    too_wide(&browser).await
                ));
            }
        }
    }
    problems
}

#[tokio::test]
async fn every_page_of_a_school_passes_axe_and_fits_a_320_px_phone() {
    let app = TestApp::with_demo_at(time::macros::datetime!(2026-12-02 10:00 +8)).await;
    let school = app.unit_id("青山鎮中心國小").await;
    // A hazard to open, reported through the form.
    let browser = Browser::start(1366, 900, "zh-TW").await;
    sign_in(&browser, &app, "safety").await;
    browser
        .goto(&app.url(&format!("/units/{school}/hazards/new")))
        .await;
    browser.type_into("#place", "教學樓二樓東側樓梯").await;
    browser
        .type_into("#description", "扶手鬆動，下課時學生擁擠，有跌落風險")
        .await;
    browser
        .click("input[name='severity'][value='general']")
        .await;
    browser.click("#hazard-submit").await;
    browser
        .wait_for_text("#hazard-title", "教學樓二樓東側樓梯")
        .await;
    let hazard = browser.current_url().await;
    let hazard = hazard
        .split_once("/hazards/")
        .map(|(_, rest)| format!("/hazards/{}", rest.split('?').next().unwrap_or_default()))
        .unwrap();
    browser
        .goto(&app.url(&format!("/units/{school}/inspections")))
        .await;
    let inspection = first_link(&browser, "#inspections a[href^='/inspections/']").await;
    browser
        .goto(&app.url(&format!("/units/{school}/reports")))
        .await;
    let report = first_link(&browser, "#reports a[href^='/reports/']").await;
    drop(browser);

    let pages: Vec<String> = [
        "/".to_owned(),
        "/calendar".to_owned(),
        "/hazards".to_owned(),
        hazard,
        format!("/units/{school}/hazards/new"),
        format!("/units/{school}/inspections"),
        format!("/units/{school}/inspections/new?template=monthly_hazard"),
        inspection,
        "/reports".to_owned(),
        report,
        format!("/units/{school}/places"),
        format!("/units/{school}/checklists"),
        format!("/units/{school}/terms"),
        format!("/units/{school}/activities/new"),
        "/policy".to_owned(),
        "/org".to_owned(),
        format!("/org/units/{school}"),
        "/account".to_owned(),
        "/account/password".to_owned(),
    ]
    .into();
    let problems = check_pages(&app, "safety", &pages).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_page_of_the_bureau_passes_axe_and_fits_a_320_px_phone() {
    let app = TestApp::with_demo_at(time::macros::datetime!(2026-12-02 10:00 +8)).await;
    let bureau = app.unit_id("青山縣教育局").await;
    let central = app.unit_id("青山鎮中心學校").await;
    let pages: Vec<String> = [
        "/".to_owned(),
        "/matrix".to_owned(),
        format!("/units/{bureau}/matrix?span=term"),
        "/hazards".to_owned(),
        "/reports".to_owned(),
        format!("/units/{central}/reports?month=2026-11"),
        "/policy".to_owned(),
        "/org".to_owned(),
        format!("/org/units/{bureau}"),
        format!("/units/{bureau}/terms"),
        format!("/units/{bureau}/checklists"),
        "/admin/users".to_owned(),
        "/admin/audit".to_owned(),
        "/account".to_owned(),
    ]
    .into();
    let problems = check_pages(&app, "admin", &pages).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A refused form, as a screen reader meets it: the focus on the summary, which links to
/// each field; each field marked invalid and described by its message.
#[tokio::test]
async fn a_refused_form_marks_its_fields_and_focuses_its_summary() {
    let app = TestApp::with_demo().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let browser = Browser::start(390, 844, "zh-TW").await;
    sign_in(&browser, &app, "safety").await;
    browser
        .goto(&app.url(&format!("/units/{school}/hazards/new")))
        .await;
    // The browser's own checks are lifted, so the server's are the ones that answer.
    browser
        .execute(
            "document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'));",
            Vec::new(),
        )
        .await;
    browser.click("#hazard-submit").await;
    browser.find(".error-summary").await;
    let focused = browser
        .execute(
            "return document.activeElement.classList.contains('error-summary');",
            Vec::new(),
        )
        .await;
    assert_eq!(focused, Value::Bool(true), "the summary takes the focus");
    let links = browser
        .execute(
            "return [...document.querySelectorAll('.error-summary a')].map(a => a.getAttribute('href') + ' ' + a.textContent);",
            Vec::new(),
        )
        .await;
    let links: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        links.iter().any(|l| l.starts_with("#place 地點"))
            && links.iter().any(|l| l.starts_with("#description 隱患描述")),
        "each refused field is a link named by its label: {links:?}"
    );
    for field in ["place", "description"] {
        let marked = browser
            .execute(
                "const f = document.getElementById(arguments[0]); \
                 const m = document.getElementById(f.getAttribute('aria-describedby')); \
                 return f.getAttribute('aria-invalid') + ' ' + (m ? m.textContent : 'no message');",
                vec![Value::from(field)],
            )
            .await;
        let marked = marked.as_str().unwrap_or_default();
        assert!(
            marked.starts_with("true ") && marked.len() > "true ".len(),
            "{field}: {marked}"
        );
    }
    let focused_id = browser
        .execute("return document.activeElement.id;", Vec::new())
        .await;
    assert_eq!(focused_id, Value::from("errors"));
    let problems = violations(&browser, &axe_source()).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
