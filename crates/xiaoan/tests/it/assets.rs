//! Issue 8: what a browser fetches is small and kept — pages, styles and JSON compressed
//! (gzip, br), static files under a content-hashed name cached for a year, a favicon.

use testkit::TestApp;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The first `href`/`src` of the page that starts with `prefix`.
fn linked<'a>(html: &'a str, prefix: &str) -> &'a str {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find('"').unwrap()]
}

#[tokio::test]
async fn pages_and_styles_are_compressed_and_static_files_kept_a_year() {
    let app = TestApp::spawn().await;
    let http = client();
    for (encoding, path) in [
        ("br", "/login"),
        ("gzip", "/login"),
        ("br", "/api/openapi.json"),
    ] {
        let answer = http
            .get(app.url(path))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(
            answer.headers()["content-encoding"],
            encoding,
            "{path} is sent compressed with {encoding}"
        );
    }
    let login = http.get(app.url("/login")).send().await.unwrap();
    assert!(
        login.headers().get("content-encoding").is_none(),
        "only when asked"
    );
    let login = login.text().await.unwrap();
    let css = linked(&login, "/static/app.");
    assert!(
        css.ends_with(".css") && css.len() > "/static/app.css".len(),
        "{css}"
    );
    let answer = http
        .get(app.url(css))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(answer.headers()["content-encoding"], "gzip");
    let plain = http.get(app.url("/static/app.css")).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.headers()["cache-control"], "no-cache");

    let icon = linked(&login, "/static/favicon.");
    let favicon = http.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(favicon.status(), 308);
    assert_eq!(favicon.headers()["location"], icon);
    let svg = http.get(app.url(icon)).send().await.unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert_eq!(
        http.get(app.url("/static/app.0000000000.css"))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "a name that is not the file's hash is not served"
    );
}
