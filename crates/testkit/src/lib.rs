//! Xiao'an test kit: `TestApp::spawn()` runs the real router over HTTP on a fresh database
//! — a SQLite file, or a new PostgreSQL database when `XIAOAN_TEST_BACKEND=postgres` —
//! plus helpers to sign in, a small WebDriver client for headless Chromium, and a local
//! SMTP server and group robot that receive reminders.

// Test support only: a failed setup step is the test's failure, reported by its panic with
// the step that failed (the workspace denies unwrap and expect everywhere else).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod robot;
mod smtp;

pub use browser::Browser;
pub use robot::Robot;
pub use smtp::{Delivered, SmtpSink};

use app::App;
use domain::clock::{Clock, FixedClock, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;
use store::Db;
use time::OffsetDateTime;

/// The password of every demo login in tests.
pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// Which database the suite runs on.
pub fn backend() -> &'static str {
    match std::env::var("XIAOAN_TEST_BACKEND").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

/// A running server on its own database.
pub struct TestApp {
    pub base: String,
    pub app: App,
    /// The database itself, for tests that set up or inspect records directly (the web
    /// layer has no such handle: it goes through `app`).
    pub db: Db,
    pub database_url: String,
    pub dir: tempfile::TempDir,
}

/// A new, empty database of the suite's backend (SQLite in `dir`, or PostgreSQL).
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    fresh_database_of(backend(), dir).await
}

/// A new, empty database of `kind` ("sqlite" in `dir`, or "postgres").
pub async fn fresh_database_of(kind: &str, dir: &std::path::Path) -> String {
    if kind == "sqlite" {
        return format!("sqlite://{}?mode=rwc", dir.join("xiaoan.db").display());
    }
    use sqlx::Connection;
    let admin = std::env::var("XIAOAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("xiaoan_t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin}: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap_or((&admin, ""));
    format!("{base}/{name}")
}

impl TestApp {
    /// A server on an empty database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with_clock(Arc::new(SystemClock)).await
    }

    /// A server whose clock stands still at `at` (dates of terms, deadlines and states).
    pub async fn with_demo_at(at: OffsetDateTime) -> TestApp {
        let test = Self::spawn_with_clock(Arc::new(FixedClock::new(at))).await;
        app::demo::load_if_empty(&test.app, DEMO_PASSWORD)
            .await
            .unwrap()
            .unwrap();
        test
    }

    async fn spawn_with_clock(clock: Arc<dyn Clock>) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(dir.path()).await;
        Self::serve(dir, database_url, clock, web::WebConfig::default()).await
    }

    /// Another server on this one's database and data dir (several servers behind one
    /// proxy), with its own web settings.
    pub async fn another_server(&self, config: web::WebConfig) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(self.key_file(), dir.path().join("audit.key")).unwrap();
        let mut other = Self::serve(
            dir,
            self.database_url.clone(),
            self.app.clock.clone(),
            config,
        )
        .await;
        other.app.blobs = self.app.blobs.clone();
        other.app.audit_checkpoints = self.app.audit_checkpoints.clone();
        other
    }

    /// A server on a new database with these web settings.
    pub async fn spawn_with_config(config: web::WebConfig) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(dir.path()).await;
        Self::serve(dir, database_url, Arc::new(SystemClock), config).await
    }

    /// A server on an existing data dir and database (a restored backup).
    pub async fn on_existing(dir: tempfile::TempDir, database_url: String) -> TestApp {
        Self::serve(
            dir,
            database_url,
            Arc::new(SystemClock),
            web::WebConfig::default(),
        )
        .await
    }

    /// The audit key of this server's data dir.
    pub fn key_file(&self) -> std::path::PathBuf {
        self.dir.path().join("audit.key")
    }

    /// The App as a restarted server would build it on the same database and data dir.
    pub async fn reopen(&self, clock: Arc<dyn Clock>) -> App {
        open_app(self.dir.path(), &self.database_url, clock).await.0
    }

    async fn serve(
        dir: tempfile::TempDir,
        database_url: String,
        clock: Arc<dyn Clock>,
        config: web::WebConfig,
    ) -> TestApp {
        let (app, db) = open_app(dir.path(), &database_url, clock).await;
        Self::serve_app(dir, database_url, app, db, config).await
    }

    async fn serve_app(
        dir: tempfile::TempDir,
        database_url: String,
        app: App,
        db: Db,
        config: web::WebConfig,
    ) -> TestApp {
        let router = web::router(app.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            app,
            db,
            database_url,
            dir,
        }
    }

    /// A server with the demo county whose own requests follow `outbound` (the kit's
    /// default lets them reach its local robot).
    pub async fn with_demo_and_outbound(outbound: app::outbound::OutboundPolicy) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(dir.path()).await;
        let (mut app, db) = open_app(dir.path(), &database_url, Arc::new(SystemClock)).await;
        app.outbound = outbound;
        let test = Self::serve_app(dir, database_url, app, db, web::WebConfig::default()).await;
        app::demo::load_if_empty(&test.app, DEMO_PASSWORD)
            .await
            .unwrap()
            .unwrap();
        test
    }

    /// A server with the demo county loaded.
    pub async fn with_demo() -> TestApp {
        let test = Self::spawn().await;
        app::demo::load_if_empty(&test.app, DEMO_PASSWORD)
            .await
            .unwrap()
            .unwrap();
        test
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with a cookie jar that does not follow redirects.
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Signs in through the login form; returns the client and its CSRF token.
    pub async fn login(&self, username: &str, password: &str) -> (reqwest::Client, String) {
        login_at(&self.base, username, password).await
    }

    /// GETs a page with a signed-in client: its status and body.
    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let response = client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// POSTs a form (the CSRF token is added) with a signed-in client.
    pub async fn post(
        &self,
        client: &reqwest::Client,
        csrf: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = vec![("_csrf", csrf)];
        form.extend_from_slice(fields);
        client
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// A bearer token for the API.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let response = Self::client()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The JSON answer to an API `GET` of `path` with a bearer token.
    pub async fn api_get<T: serde::de::DeserializeOwned>(&self, token: &str, path: &str) -> T {
        Self::client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The id of the unit with this name, as the system sees it.
    pub async fn unit_id(&self, name: &str) -> String {
        let units = self
            .db
            .units(&domain::scope::Scope::system("test"))
            .await
            .unwrap();
        units
            .into_iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no unit {name}"))
            .id
            .to_string()
    }
}

/// The App of a data dir and database, as `xiaoan serve` opens it; the test robot on
/// 127.0.0.1 is reachable through the outbound policy's allowance.
async fn open_app(dir: &std::path::Path, database_url: &str, clock: Arc<dyn Clock>) -> (App, Db) {
    let key = app::audit::load_or_create_key(&dir.join("audit.key")).unwrap();
    let db = Db::connect(database_url, 5, key).await.unwrap();
    let mut app = App::new(db.clone(), dir, clock);
    app.outbound = app::outbound::OutboundPolicy {
        allow_http_hosts: vec!["127.0.0.1".into()],
        allow_private: true,
    };
    app.load_zone().await.unwrap();
    (app, db)
}

/// Posts the login form of the server at `base` as `client` with a fresh CSRF token (in
/// `lang`, an Accept-Language, when given); returns the answer, redirects not followed.
pub async fn submit_login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
    lang: Option<&str>,
) -> reqwest::Response {
    let with_lang = |request: reqwest::RequestBuilder| match lang {
        Some(lang) => request.header("accept-language", lang),
        None => request,
    };
    let page = with_lang(client.get(format!("{base}/login")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden_value(&page, "_csrf").expect("login form has a CSRF field");
    with_lang(client.post(format!("{base}/login")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap()
}

/// Signs in through the login form of the server at `base` (a test server or a real
/// `xiaoan serve`); returns the client, which keeps the session, and its CSRF token.
pub async fn login_at(base: &str, username: &str, password: &str) -> (reqwest::Client, String) {
    let client = TestApp::client();
    let response = submit_login(&client, base, username, password, None).await;
    assert_eq!(
        response.status(),
        303,
        "login of {username} should redirect"
    );
    let home = client
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden_value(&home, "_csrf")
        .unwrap_or_else(|| panic!("signed-in pages carry a CSRF token: {home}"));
    (client, csrf)
}

/// The value of the first hidden input named `name` in an HTML page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(
        html[start..start + end]
            .replace("&#34;", "\"")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}
