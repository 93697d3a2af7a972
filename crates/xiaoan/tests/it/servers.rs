//! The real binary under load (issue 7): a burst of logins against the password workers,
//! one SQLite data dir per server, and several servers writing to one PostgreSQL database
//! with every audit chain kept linear.

use crate::audit::xiaoan;
use futures_util::future::join_all;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use testkit::{DEMO_PASSWORD, TestApp};

/// A `xiaoan serve` process on its own port; killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `xiaoan serve` with `args` and waits until it says where it listens.
    pub fn start(data_dir: &std::path::Path, args: &[&str]) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xiaoan"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--addr", "127.0.0.1:0", "--reminder-minutes", "0"])
            .args(args)
            .env("XIAOAN_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(rest) = line.split("open http://").nth(1) {
                let base = format!("http://{}", rest.trim_end_matches('/'));
                return Ok(Server { child, base });
            }
        }
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        let _ = child.wait();
        Err(err)
    }

    /// Peak and current resident memory, in MiB (Linux).
    pub fn memory_mib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
                .unwrap_or(0)
                / 1024
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

/// 200 logins at once, each for another account from another client: a few are checked
/// at a time, the rest are told to come back (503 with Retry-After) — and the server stays
/// small throughout.
#[tokio::test]
async fn a_login_burst_keeps_the_server_small() {
    if testkit::backend() != "sqlite" {
        return; // the binary's memory, not the database, is under test
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        dir.path(),
        &[
            "--demo",
            "--demo-password",
            DEMO_PASSWORD,
            "--trusted-proxy",
            "127.0.0.1",
        ],
    )
    .unwrap();
    let started = server.memory_mib();
    println!(
        "after start with the demo county: peak {} MiB, now {} MiB",
        started.0, started.1
    );
    let client = reqwest::Client::new();
    let answers = join_all((0..200).map(|i| {
        client
            .post(format!("{}/api/v1/auth/login", server.base))
            .header("x-forwarded-for", format!("198.51.{}.{}", i / 250, i % 250 + 1))
            .json(&serde_json::json!({ "username": format!("nobody{i}"), "password": "wrong-password-here" }))
            .send()
    }))
    .await;
    let mut by_status = std::collections::BTreeMap::new();
    for answer in &answers {
        let answer = answer.as_ref().unwrap();
        let status = answer.status().as_u16();
        if status == 503 {
            assert!(answer.headers().contains_key("retry-after"));
        }
        *by_status.entry(status).or_insert(0) += 1;
    }
    assert!(
        by_status.keys().all(|s| *s == 401 || *s == 503),
        "only 'wrong password' and 'come back': {by_status:?}"
    );
    let (peak, now) = server.memory_mib();
    println!("login burst: {by_status:?}, peak RSS {peak} MiB, after {now} MiB");
    assert!(peak < 150, "peak resident memory {peak} MiB");
}

/// SQLite serves one process: a second server on the same data dir refuses to start.
#[tokio::test]
async fn a_second_server_on_one_sqlite_data_dir_refuses_to_start() {
    if testkit::backend() != "sqlite" {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let _first = Server::start(dir.path(), &[]).unwrap();
    let second = Server::start(dir.path(), &[]);
    let said = second.err().expect("the second server must not start");
    assert!(said.contains("another xiaoan server is running"), "{said}");
}

/// Two servers on one PostgreSQL database take writes at the same time: nothing fails,
/// and the county's chain stays linear (its head is locked in the database).
#[tokio::test]
async fn two_servers_write_to_one_postgresql_and_the_chain_holds() {
    if testkit::backend() != "postgres" {
        return;
    }
    let first = TestApp::with_demo().await;
    let second = first.another_server(web::WebConfig::default()).await;
    let school = first.unit_id("青山鎮中心國小").await;
    let (a, csrf_a) = first.login("principal", DEMO_PASSWORD).await;
    let (b, csrf_b) = second.login("principal", DEMO_PASSWORD).await;
    let before = first.db.audit_heads().await.unwrap();
    let writes = (0..60).map(|i| {
        let (server, client, csrf) = if i % 2 == 0 {
            (&first, &a, &csrf_a)
        } else {
            (&second, &b, &csrf_b)
        };
        let path = format!("/org/units/{school}/children");
        async move {
            server
                .post(
                    client,
                    csrf,
                    &path,
                    &[("kind", "grade_group"), ("name", &format!("組{i}"))],
                )
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = join_all(writes).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let after = first.db.audit_heads().await.unwrap();
    let grew: i64 =
        after.iter().map(|h| h.seq).sum::<i64>() - before.iter().map(|h| h.seq).sum::<i64>();
    assert!(grew >= 60, "every write is in the log ({grew})");
    let (ok, text) = xiaoan(&first, &["audit", "verify"]).await;
    assert!(ok, "{text}");
    // Shared background work runs once: one server holds the lease at a time.
    let now = first.app.now();
    let hold = time::Duration::minutes(15);
    assert!(
        first
            .db
            .take_lease("reminders", "a", now, hold)
            .await
            .unwrap()
    );
    assert!(
        !second
            .db
            .take_lease("reminders", "b", now, hold)
            .await
            .unwrap()
    );
    assert!(
        first
            .db
            .take_lease("reminders", "a", now, hold)
            .await
            .unwrap()
    );
    assert!(
        second
            .db
            .take_lease(
                "reminders",
                "b",
                now + hold + time::Duration::seconds(1),
                hold
            )
            .await
            .unwrap()
    );
}

/// A multipart body: the CSRF token first, then one file of `size` bytes that starts
/// with `head`.
fn multipart_body(
    csrf: &str,
    fields: &[(&str, &str)],
    head: &[u8],
    size: usize,
) -> (String, Vec<u8>) {
    let boundary = "xiaoan-test-boundary-7d1f";
    let mut body = Vec::with_capacity(size + 1024);
    let text = |name: &str, value: &str, body: &mut Vec<u8>| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("_csrf", csrf, &mut body);
    for (name, value) in fields {
        text(name, value, &mut body);
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"lecture.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(head);
    body.resize(body.len() + size - head.len(), 0);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn school_id(data_dir: &std::path::Path, name: &str) -> String {
    let url = format!("sqlite://{}?mode=ro", data_dir.join("xiaoan.db").display());
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    let id: String = sqlx::Row::get(
        &sqlx::query("SELECT id FROM org_units WHERE name = $1")
            .bind(name.to_owned())
            .fetch_one(&pool)
            .await
            .unwrap(),
        "id",
    );
    pool.close().await;
    id
}

/// A 250 MB upload refused for its CSRF token, or for the role that sent it, is refused
/// before its body is read; a 100 MB lecture video is received and sent back four times
/// at once as streams — the server stays small throughout.
#[tokio::test]
async fn large_uploads_and_downloads_stream_through_a_small_server() {
    if testkit::backend() != "sqlite" {
        return;
    }
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let demo = Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["demo", "--demo-password", DEMO_PASSWORD])
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let school = school_id(dir.path(), "青山鎮中心國小").await;
    let server = Server::start(dir.path(), &[]).unwrap();
    let url = format!("{}/units/{school}/activities", server.base);
    let mp4_head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom";

    let (gate, gate_csrf) = testkit::login_at(&server.base, "gate", DEMO_PASSWORD).await;
    for (csrf, refused) in [("not-the-token", 409), (gate_csrf.as_str(), 403)] {
        let (content_type, body) = multipart_body(
            csrf,
            &[("kind", "legal_lecture")],
            mp4_head,
            250 * 1024 * 1024,
        );
        let answer = gate
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await;
        // The server answers without reading the body; the client may see the answer or
        // the connection closed under its upload.
        if let Ok(answer) = answer {
            assert_eq!(answer.status().as_u16(), refused);
        }
    }
    let (peak, _) = server.memory_mib();
    println!("250 MB uploads refused: peak RSS {peak} MiB");
    assert!(
        peak < 50,
        "peak resident memory {peak} MiB after refused uploads"
    );

    let (principal, csrf) = testkit::login_at(&server.base, "principal", DEMO_PASSWORD).await;
    let size = 100 * 1024 * 1024;
    let (content_type, body) = multipart_body(
        &csrf,
        &[
            ("kind", "legal_lecture"),
            ("held_on", "2026-11-18"),
            ("title", "法治講座錄影"),
            ("participants", "全體師生"),
        ],
        mp4_head,
        size,
    );
    let saved = principal
        .post(&url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let record = saved.headers()["location"].to_str().unwrap().to_owned();
    let page = principal
        .get(format!("{}{record}", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let attachment = page
        .split("/attachments/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the record lists its video")
        .to_owned();
    let downloads = join_all((0..4).map(|_| {
        let url = format!("{}/attachments/{attachment}", server.base);
        let principal = principal.clone();
        async move {
            let mut answer = principal.get(url).send().await.unwrap();
            assert_eq!(answer.status(), 200);
            let mut received = 0_usize;
            while let Some(chunk) = answer.chunk().await.unwrap() {
                received += chunk.len();
            }
            received
        }
    }))
    .await;
    assert!(downloads.iter().all(|n| *n == size), "{downloads:?}");
    let (peak, _) = server.memory_mib();
    println!("100 MB upload and four parallel downloads: peak RSS {peak} MiB");
    assert!(peak < 60, "peak resident memory {peak} MiB");
}

/// Files a crash left half-written — an upload being received, a file being stored —
/// are removed when the server starts again; stored files are kept.
#[tokio::test]
async fn leftovers_of_a_crash_are_cleaned_at_start() {
    if testkit::backend() != "sqlite" {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let upload = dir.path().join("tmp").join("abc.upload.tmp");
    let blob_dir = dir.path().join("files").join("2c");
    let half_blob = blob_dir.join(".2cf24dba.123-0.tmp");
    let kept = blob_dir.join("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    std::fs::create_dir_all(upload.parent().unwrap()).unwrap();
    std::fs::create_dir_all(&blob_dir).unwrap();
    std::fs::write(&upload, b"half an upload").unwrap();
    std::fs::write(&half_blob, b"half a file").unwrap();
    std::fs::write(&kept, b"hello").unwrap();
    let _server = Server::start(dir.path(), &[]).unwrap();
    assert!(!upload.exists(), "the unfinished upload is gone");
    assert!(!half_blob.exists(), "the half-written file is gone");
    assert!(kept.exists(), "stored files are kept");
}
