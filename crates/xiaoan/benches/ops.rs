//! Benchmark of issue 7's operations, each beside its ceiling measured in the same run:
//! - backup and restore of the demo county with 1,000 photos (SQLite → SQLite and →
//!   PostgreSQL), beside a plain copy of the same data dir;
//! - audited writes over HTTP through two servers on one PostgreSQL database, beside one
//!   server, and beside raw audited commits with no HTTP at all — with every 5xx counted.
//!
//! Run with `cargo bench -p xiaoan --bench ops` (or `scripts/bench --ops`); needs the
//! PostgreSQL server the tests use (XIAOAN_TEST_DATABASE_URL).

// A benchmark, not the product: a failed step ends the run with its panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::activity::ActivityFields;
use domain::scope::Scope;
use futures_util::future::join_all;
use std::process::Command;
use std::time::Instant;
use testkit::{DEMO_PASSWORD, TestApp};

const PHOTOS: usize = 1_000;
const PHOTO_BYTES: usize = 200 * 1024;
const WRITES: usize = 1_000;
const CONCURRENCY: usize = 32;

/// A small but valid JPEG whose scan data makes it unique.
fn photo(n: usize) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 0, 0, 0xFF, 0xDA, 0, 2];
    let mut x = n as u32 ^ 0x9E37_79B9;
    while jpeg.len() < PHOTO_BYTES {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        jpeg.push((x % 0xFF) as u8);
    }
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

fn xiaoan(database_url: &str, data_dir: &std::path::Path, args: &[&str]) -> f64 {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["--database-url", database_url, "--data-dir"])
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed().as_secs_f64()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> u64 {
    std::fs::create_dir_all(to).unwrap();
    let mut bytes = 0;
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            bytes += copy_dir(&entry.path(), &target);
        } else {
            bytes += std::fs::copy(entry.path(), target).unwrap();
        }
    }
    bytes
}

async fn backup_and_restore() {
    let app = TestApp::with_demo().await;
    let system = Scope::system("bench");
    let school = app.unit_id("青山鎮中心國小").await;
    let principal = app.db.user_for_login("principal").await.unwrap().unwrap();
    let caller = app::auth::Caller {
        scope: app::auth::scope_of(&app.app, &principal).await.unwrap(),
        user: principal,
        csrf_token: None,
    };
    let _ = system;
    let started = Instant::now();
    for record in 0..PHOTOS / 10 {
        let mut uploads = Vec::new();
        for i in 0..10 {
            let n = record * 10 + i;
            let mut receiving =
                app::files::Receiving::start(&app.app, &format!("photo{n}.jpg"), u64::MAX)
                    .await
                    .unwrap();
            receiving.write(&photo(n)).await.unwrap();
            uploads.push(receiving.finish().await.unwrap());
        }
        let fields = ActivityFields {
            kind: "publicity".into(),
            subtype: "flag_speech".into(),
            held_on: app.app.today().to_string(),
            title: format!("安全宣傳 {record}"),
            content: "校園安全宣傳照片".into(),
            ..ActivityFields::default()
        };
        app::activities::record(&app.app, &caller, school.parse().unwrap(), &fields, uploads)
            .await
            .unwrap();
    }
    println!(
        "setup: demo county + {PHOTOS} photos of {} KiB in {:.1} s",
        PHOTO_BYTES / 1024,
        started.elapsed().as_secs_f64()
    );
    let archive = app.dir.path().join("bench-backup.tar");
    let backup = xiaoan(
        &app.database_url,
        app.dir.path(),
        &["backup", archive.to_str().unwrap()],
    );
    let size = std::fs::metadata(&archive).unwrap().len();
    let scratch = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let copied = copy_dir(&app.dir.path().join("files"), &scratch.path().join("files"))
        + std::fs::copy(
            app.dir.path().join("xiaoan.db"),
            scratch.path().join("xiaoan.db"),
        )
        .unwrap_or(0);
    let copy = started.elapsed().as_secs_f64();
    println!(
        "backup:  {backup:.2} s for {:.0} MiB (ceiling, a plain copy of the data dir: {copy:.2} s for {:.0} MiB)",
        size as f64 / 1048576.0,
        copied as f64 / 1048576.0
    );
    for kind in ["sqlite", "postgres"] {
        let dir = tempfile::tempdir().unwrap();
        let url = testkit::fresh_database_of(kind, dir.path()).await;
        std::fs::copy(app.key_file(), dir.path().join("audit.key")).unwrap();
        let restore = xiaoan(&url, dir.path(), &["restore", archive.to_str().unwrap()]);
        println!(
            "restore into {kind}: {restore:.2} s (archive read, tables loaded, files checked, audit verified)"
        );
    }
}

/// Audited writes over HTTP: each creates a grade group (session, CSRF, scope, audit).
async fn write_burst(servers: &[&TestApp], school: &str) -> (f64, usize) {
    let mut clients = Vec::new();
    for server in servers {
        clients.push((server, server.login("principal", DEMO_PASSWORD).await));
    }
    let started = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::atomic::AtomicUsize::new(0);
    let path = format!("/org/units/{school}/children");
    join_all((0..CONCURRENCY).map(|worker| {
        let (server, (client, csrf)) = &clients[worker % clients.len()];
        let (next, failures, path) = (&next, &failures, &path);
        async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= WRITES {
                    break;
                }
                let status = server
                    .post(
                        client,
                        csrf,
                        path,
                        &[("kind", "grade_group"), ("name", &format!("班{n}"))],
                    )
                    .await
                    .status();
                if status.is_server_error() {
                    failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                } else {
                    assert_eq!(status, 303, "every write is taken");
                }
            }
        }
    }))
    .await;
    (
        WRITES as f64 / started.elapsed().as_secs_f64(),
        failures.into_inner(),
    )
}

/// The ceiling: audited commits straight into the store, no HTTP, same concurrency, as
/// many connections as the two servers have together (5 each).
async fn raw_commits(app: &TestApp, school_path: &str) -> f64 {
    let key = app::audit::load_or_create_key(&app.key_file()).unwrap();
    let db = store::Db::connect(&app.database_url, 10, key)
        .await
        .unwrap();
    let scope = Scope::system("bench");
    let started = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    join_all((0..CONCURRENCY).map(|_| {
        let (db, next, scope) = (&db, &next, &scope);
        async move {
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < WRITES {
                let mut write = db
                    .write(scope, time::OffsetDateTime::now_utc())
                    .await
                    .unwrap();
                write
                    .audit(
                        "update",
                        "settings",
                        "bench",
                        Some(school_path),
                        None::<&()>,
                        Some(&1),
                    )
                    .await
                    .unwrap();
                write.commit().await.unwrap();
            }
        }
    }))
    .await;
    WRITES as f64 / started.elapsed().as_secs_f64()
}

async fn two_servers() {
    if testkit::backend() != "postgres" {
        println!("two servers: set XIAOAN_TEST_BACKEND=postgres (scripts/bench --ops does)");
        return;
    }
    let first = TestApp::with_demo().await;
    let second = first.another_server(web::WebConfig::default()).await;
    let school = first.unit_id("青山鎮中心國小").await;
    let (one, one_failed) = write_burst(&[&first], &school).await;
    let (two, two_failed) = write_burst(&[&first, &second], &school).await;
    // On the county's chain, like the writes over HTTP.
    let units = first.db.units(&Scope::system("bench")).await.unwrap();
    let path = units
        .iter()
        .find(|u| u.id.to_string() == school)
        .unwrap()
        .path
        .clone();
    let raw = raw_commits(&first, &path).await;
    println!(
        "audited writes over HTTP, {CONCURRENCY} at a time: one server {one:.0}/s ({one_failed} × 5xx), \
         two servers on one PostgreSQL {two:.0}/s ({two_failed} × 5xx); ceiling, raw audited commits: {raw:.0}/s"
    );
}

#[tokio::main]
async fn main() {
    backup_and_restore().await;
    two_servers().await;
}
