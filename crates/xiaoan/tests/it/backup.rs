//! Backup and restore of everything (issue 7): one archive written while the server takes
//! writes, restored into a fresh SQLite data dir and a fresh PostgreSQL database — so a
//! county moves from one to the other — with every record, every file and an audit log
//! that verifies.

use crate::audit::xiaoan;
use sqlx::Row;
use testkit::{DEMO_PASSWORD, TestApp};

async fn counts(database_url: &str) -> Vec<(String, i64)> {
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await
        .unwrap();
    let mut out = Vec::new();
    for table in store::backed_up_tables() {
        let text = format!("SELECT COUNT(*) AS n FROM {table}");
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(text))
            .fetch_one(&pool)
            .await
            .unwrap()
            .get("n");
        out.push((table, n));
    }
    pool.close().await;
    out
}

async fn restore_into(archive: &std::path::Path, source: &TestApp, kind: &str) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = testkit::fresh_database_of(kind, dir.path()).await;
    std::fs::copy(source.key_file(), dir.path().join("audit.key")).unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["--database-url", &database_url, "--data-dir"])
        .arg(dir.path())
        .arg("restore")
        .arg(archive)
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "restore into {kind}: {text}");
    assert!(
        text.contains("restored ") && text.contains("audit log intact"),
        "{text}"
    );
    TestApp::on_existing(dir, database_url).await
}

#[tokio::test]
async fn a_backup_taken_under_writes_restores_everything_on_either_database() {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    let hazard = crate::hazards::report(&app, &client, &csrf, &school, "general").await;
    let (_, page) = app.get(&client, &hazard).await;
    let attachment = page
        .split("href=\"/attachments/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the hazard shows its photo")
        .to_owned();

    // Writes keep coming while the backup runs.
    let writer = {
        let (base, client, csrf, school) = (
            app.base.clone(),
            client.clone(),
            csrf.clone(),
            school.clone(),
        );
        tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..40 {
                let answer = client
                    .post(format!("{base}/org/units/{school}/children"))
                    .form(&[
                        ("_csrf", csrf.as_str()),
                        ("kind", "grade_group"),
                        ("name", &format!("班組{i}")),
                    ])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(answer.status(), 303);
                ok += 1;
            }
            ok
        })
    };
    let archive = app.dir.path().join("backup.tar");
    let (ok, text) = xiaoan(&app, &["backup", archive.to_str().unwrap()]).await;
    assert!(ok, "{text}");
    assert!(text.contains("backup written to"), "{text}");
    assert_eq!(writer.await.unwrap(), 40);
    let (ok, text) = xiaoan(&app, &["backup", archive.to_str().unwrap()]).await;
    assert!(
        !ok && text.contains("exists already"),
        "an archive is never overwritten: {text}"
    );

    let manifest = app::backup::manifest(&archive).unwrap();
    assert!(manifest.files >= 1);
    let in_archive: Vec<(String, i64)> = manifest
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.rows as i64))
        .collect();

    for kind in ["sqlite", "postgres"] {
        let restored = restore_into(&archive, &app, kind).await;
        assert_eq!(
            counts(&restored.database_url).await,
            in_archive,
            "{kind}: every table has the rows of the snapshot"
        );
        let (ok, text) = xiaoan(&restored, &["audit", "verify"]).await;
        assert!(ok, "{kind}: {text}");
        let pool = crate::audit::raw(&restored).await;
        let sessions: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(
            sessions, 0,
            "{kind}: nobody stays signed in through a backup"
        );
        pool.close().await;
        let (client, _) = restored.login("principal", DEMO_PASSWORD).await;
        let file = client
            .get(restored.url(&format!("/attachments/{attachment}")))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200, "{kind}: the photo downloads");
        assert!(!file.bytes().await.unwrap().is_empty());
        // A second restore into the same target is refused.
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
            .args(["--database-url", &restored.database_url, "--data-dir"])
            .arg(restored.dir.path())
            .arg("restore")
            .arg(&archive)
            .output()
            .await
            .unwrap();
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("not empty") || said.contains("exists"),
            "{said}"
        );
    }
}

#[tokio::test]
async fn a_restore_needs_the_key_and_refuses_a_damaged_archive() {
    let app = TestApp::with_demo().await;
    let archive = app.dir.path().join("backup.tar");
    let (ok, text) = xiaoan(&app, &["backup", archive.to_str().unwrap()]).await;
    assert!(ok, "{text}");
    let dir = tempfile::tempdir().unwrap();
    let run = |dir: &std::path::Path, archive: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
            .arg("--data-dir")
            .arg(dir)
            .arg("restore")
            .arg(archive)
            .output()
            .unwrap()
    };
    let out = run(dir.path(), &archive);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("backups never hold the key"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One changed byte inside a table is found against the manifest.
    let mut bytes = std::fs::read(&archive).unwrap();
    let at = bytes
        .windows(12)
        .position(|w| w == "青山縣".as_bytes() || w.starts_with("青山".as_bytes()))
        .unwrap();
    bytes[at + 2] ^= 1;
    let damaged = dir.path().join("damaged.tar");
    std::fs::write(&damaged, bytes).unwrap();
    std::fs::copy(app.key_file(), dir.path().join("audit.key")).unwrap();
    let out = run(dir.path(), &damaged);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("do not match the manifest") || said.contains("row"),
        "{said}"
    );
}
