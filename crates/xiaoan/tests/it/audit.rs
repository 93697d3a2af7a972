//! The audit log (issue 7, R-INC-2): every change is recorded, and `xiaoan audit verify`
//! names every way someone holding the database can tamper with it — an edited entry, a
//! removed one, a chain cut short with its head rewound, a chain emptied, a chain
//! re-hashed without the key, a record table edited behind the application's back.

use domain::audit::AuditKey;
use sqlx::Row;
use testkit::{DEMO_PASSWORD, TestApp};

/// Runs `xiaoan audit …` against the test server's database and data dir.
pub async fn xiaoan(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_xiaoan"))
        .args(["--database-url", &app.database_url, "--data-dir"])
        .arg(app.dir.path())
        .args(args)
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A raw connection, as someone holding the database file (or the owner role) has.
pub async fn raw(app: &TestApp) -> sqlx::AnyPool {
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&app.database_url)
        .await
        .unwrap()
}

async fn exec(pool: &sqlx::AnyPool, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Drops the triggers that keep the log append-only (the owner of the database can).
async fn drop_guards(pool: &sqlx::AnyPool) {
    match testkit::backend() {
        "postgres" => {
            exec(pool, "DROP TRIGGER audit_log_no_update ON audit_log").await;
            exec(pool, "DROP TRIGGER audit_log_no_truncate ON audit_log").await;
        }
        _ => {
            exec(pool, "DROP TRIGGER audit_log_no_update").await;
            exec(pool, "DROP TRIGGER audit_log_no_delete").await;
        }
    }
}

/// The county's chain and its head.
async fn county_chain(pool: &sqlx::AnyPool) -> (String, i64) {
    let row = sqlx::query(
        "SELECT chain, seq FROM audit_heads WHERE chain <> '' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.get("chain"), row.get("seq"))
}

/// The demo county with a few changes made over HTTP, then a checkpoint.
async fn county_with_a_checkpoint() -> TestApp {
    let app = TestApp::with_demo().await;
    let (client, csrf) = app.login("principal", DEMO_PASSWORD).await;
    let school = app.unit_id("青山鎮中心國小").await;
    for name in ["學前班", "七年級", "八年級"] {
        let created = app
            .post(
                &client,
                &csrf,
                &format!("/org/units/{school}/children"),
                &[("kind", "grade_group"), ("name", name)],
            )
            .await;
        assert_eq!(created.status(), 303);
    }
    let hazard = crate::hazards::report(&app, &client, &csrf, &school, "general").await;
    let (status, _) = app.get(&client, &hazard).await;
    assert_eq!(status, 200);
    let (ok, text) = xiaoan(&app, &["audit", "checkpoint"]).await;
    assert!(ok, "{text}");
    let (ok, text) = xiaoan(&app, &["audit", "verify"]).await;
    assert!(
        ok,
        "an untouched demo county verifies, records included: {text}"
    );
    assert!(
        text.contains("every chain, checkpoint and audited record verified"),
        "{text}"
    );
    app
}

/// Tampers in one way and expects `audit verify` to fail naming what happened.
async fn expect_named(app: &TestApp, tamper: &str, expected: &str) {
    let (ok, text) = xiaoan(app, &["audit", "verify"]).await;
    assert!(!ok, "{tamper}: verify must fail: {text}");
    assert!(
        text.contains(expected),
        "{tamper}: expected {expected:?} in:\n{text}"
    );
}

#[tokio::test]
async fn changes_are_audited_and_shown_in_the_readers_language() {
    let app = county_with_a_checkpoint().await;
    let (client, _) = app.login("principal", DEMO_PASSWORD).await;
    let (_, page) = app.get(&client, "/admin/audit?entity=org_unit").await;
    assert!(
        page.contains("學前班") && page.contains("王建國"),
        "who and what are shown"
    );
    assert!(
        page.contains("<td>新增</td><td>組織單位<br>"),
        "actions and entities read in the user's language, not as codes"
    );
    let pool = raw(&app).await;
    let refused = sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 3")
        .execute(&pool)
        .await;
    assert!(
        refused.is_err(),
        "the database refuses edits to the audit log"
    );
    let refused = sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(&pool)
        .await;
    assert!(
        refused.is_err(),
        "the database refuses deletions from the audit log"
    );
    // The key is in the data dir, never in the database.
    let key = std::fs::read_to_string(app.key_file()).unwrap();
    let key = key.trim();
    assert_eq!(key.len(), 64);
    for table in store::tables() {
        let text = format!("SELECT * FROM {table}");
        for row in sqlx::query(sqlx::AssertSqlSafe(text))
            .fetch_all(&pool)
            .await
            .unwrap()
        {
            for i in 0..sqlx::Row::len(&row) {
                if let Ok(Some(v)) = row.try_get::<Option<String>, _>(i) {
                    assert!(!v.contains(key), "the audit key is stored in {table}");
                }
            }
        }
    }
}

#[tokio::test]
async fn an_edited_entry_is_named() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    drop_guards(&pool).await;
    let (chain, _) = county_chain(&pool).await;
    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE chain = $1 AND seq = 3")
        .bind(chain.clone())
        .execute(&pool)
        .await
        .unwrap();
    expect_named(&app, "edit", &format!("chain {chain}: entry 3 was changed")).await;
}

#[tokio::test]
async fn a_removed_entry_in_the_middle_is_named() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    drop_guards(&pool).await;
    let (chain, _) = county_chain(&pool).await;
    sqlx::query("DELETE FROM audit_log WHERE chain = $1 AND seq = 5")
        .bind(chain.clone())
        .execute(&pool)
        .await
        .unwrap();
    expect_named(&app, "delete middle", "entry 5 is missing (found 6 next)").await;
}

#[tokio::test]
async fn a_removed_newest_entry_is_named() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    drop_guards(&pool).await;
    let (chain, head) = county_chain(&pool).await;
    sqlx::query("DELETE FROM audit_log WHERE chain = $1 AND seq = $2")
        .bind(chain.clone())
        .bind(head)
        .execute(&pool)
        .await
        .unwrap();
    expect_named(
        &app,
        "delete newest",
        &format!(
            "entries after {} are missing (the chain head says {head})",
            head - 1
        ),
    )
    .await;
}

#[tokio::test]
async fn newest_entries_removed_with_the_head_rewound_are_caught_by_the_checkpoint() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    drop_guards(&pool).await;
    let (chain, head) = county_chain(&pool).await;
    let keep = head - 3;
    let mac: String = sqlx::query("SELECT mac FROM audit_log WHERE chain = $1 AND seq = $2")
        .bind(chain.clone())
        .bind(keep)
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("mac");
    sqlx::query("DELETE FROM audit_log WHERE chain = $1 AND seq > $2")
        .bind(chain.clone())
        .bind(keep)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_heads SET seq = $1, mac = $2 WHERE chain = $3")
        .bind(keep)
        .bind(mac)
        .bind(chain.clone())
        .execute(&pool)
        .await
        .unwrap();
    expect_named(
        &app,
        "delete newest 3 and rewind",
        &format!(
            "chain {chain}: entries from {} on are missing (a checkpoint of",
            keep + 1
        ),
    )
    .await;
}

#[tokio::test]
async fn an_emptied_log_is_caught_by_the_checkpoint() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    drop_guards(&pool).await;
    exec(&pool, "DELETE FROM audit_log").await;
    exec(&pool, "DELETE FROM audit_heads").await;
    expect_named(
        &app,
        "delete all and the head",
        "entries from 1 on are missing",
    )
    .await;
}

#[tokio::test]
async fn a_chain_rehashed_without_the_key_is_named() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    drop_guards(&pool).await;
    let (chain, head) = county_chain(&pool).await;
    // The attacker edits entry 4 and recomputes every later MAC — with a key of their
    // own, since the real one is not in the database.
    let guess = AuditKey::from_bytes([1; 32]);
    let mut entries = Vec::new();
    let select = "SELECT chain, seq, at, actor_user_id, actor_name, action, entity, entity_id, \
                  unit_path, before_json, after_json, row_digest, prev_mac, mac FROM audit_log \
                  WHERE chain = $1 AND seq >= 4 ORDER BY seq";
    for row in sqlx::query(select)
        .bind(chain.clone())
        .fetch_all(&pool)
        .await
        .unwrap()
    {
        entries.push(domain::audit::AuditEntry {
            chain: row.get("chain"),
            seq: row.get("seq"),
            at_micros: row.get("at"),
            actor_user_id: row.get("actor_user_id"),
            actor_name: row.get("actor_name"),
            action: row.get("action"),
            entity: row.get("entity"),
            entity_id: row.get("entity_id"),
            unit_path: row.get("unit_path"),
            before: row.get("before_json"),
            after: row.get("after_json"),
            row_digest: row.get("row_digest"),
            prev_mac: row.get("prev_mac"),
            mac: row.get("mac"),
        });
    }
    entries[0].actor_name = "someone else".into();
    let mut prev = entries[0].prev_mac.clone();
    for entry in &mut entries {
        entry.prev_mac = prev.clone();
        entry.mac = entry.compute_mac(&guess);
        prev = entry.mac.clone();
        sqlx::query("UPDATE audit_log SET actor_name = $1, prev_mac = $2, mac = $3 WHERE chain = $4 AND seq = $5")
            .bind(entry.actor_name.clone())
            .bind(entry.prev_mac.clone())
            .bind(entry.mac.clone())
            .bind(chain.clone())
            .bind(entry.seq)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE audit_heads SET mac = $1 WHERE chain = $2 AND seq = $3")
        .bind(prev)
        .bind(chain.clone())
        .bind(head)
        .execute(&pool)
        .await
        .unwrap();
    expect_named(
        &app,
        "edit and re-hash",
        &format!("chain {chain}: entry 4 was changed"),
    )
    .await;
}

#[tokio::test]
async fn a_record_edited_added_or_removed_behind_the_application_is_named() {
    let app = county_with_a_checkpoint().await;
    let pool = raw(&app).await;
    let hazard: String = sqlx::query("SELECT id FROM hazards ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("id");
    sqlx::query("UPDATE hazards SET description = 'nothing was wrong' WHERE id = $1")
        .bind(hazard.clone())
        .execute(&pool)
        .await
        .unwrap();
    expect_named(
        &app,
        "edit a record",
        &format!("hazard {hazard} was changed outside the application"),
    )
    .await;
    let person: String = sqlx::query("SELECT id FROM people ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("id");
    let (_, text) = xiaoan(&app, &["audit", "verify"]).await;
    assert!(
        !text.contains(&format!("person {person}")),
        "only what changed is named"
    );
    exec(
        &pool,
        "INSERT INTO people (id, unit_id, unit_path, name, phone, created_at) \
         SELECT 'forged-person', unit_id, unit_path, 'forged', NULL, created_at FROM people LIMIT 1",
    )
    .await;
    expect_named(
        &app,
        "add a record",
        "person forged-person was added outside the application",
    )
    .await;
}

#[tokio::test]
async fn an_edited_checkpoint_file_is_named_and_a_replaced_key_refused() {
    let app = county_with_a_checkpoint().await;
    let path = app.dir.path().join(app::CHECKPOINT_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let first = text.lines().next().unwrap();
    let mut parts: Vec<&str> = first.splitn(5, ' ').collect();
    let fewer = (parts[1].parse::<i64>().unwrap() - 1).to_string();
    parts[1] = &fewer;
    std::fs::write(&path, format!("{}\n{text}", parts.join(" "))).unwrap();
    expect_named(&app, "edit the checkpoint file", "checkpoint file line 1").await;

    std::fs::write(app.key_file(), format!("{}\n", "ab".repeat(32))).unwrap();
    let (ok, text) = xiaoan(&app, &["audit", "verify"]).await;
    assert!(!ok);
    assert!(text.contains("the audit key does not match"), "{text}");
}

/// The checkpoint reaches the bureau's administrators once a day through their
/// reminder channels (here: in the app).
#[tokio::test]
async fn the_bureau_gets_the_chain_head_once_a_day() {
    let app = county_with_a_checkpoint().await;
    let notifier = app::notify::Notifier::new(None, &app.app.outbound).unwrap();
    let first = app::reminder_run::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    assert!(first.recorded >= 1);
    let pool = raw(&app).await;
    let (_, head) = county_chain(&pool).await;
    let (admin, _) = app.login("admin", DEMO_PASSWORD).await;
    let (_, home) = app.get(&admin, "/").await;
    assert!(home.contains("審計鏈檢查點"), "{home}");
    let again = app::reminder_run::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    let _ = head;
    assert_eq!(again.recorded, 0, "once a day");
}

/// On PostgreSQL the application's role (docs/postgres-roles.sql) may add to the audit log
/// but never change or remove an entry — not even by dropping the trigger.
#[tokio::test]
async fn the_application_role_cannot_rewrite_the_audit_log() {
    if testkit::backend() != "postgres" {
        return;
    }
    let app = county_with_a_checkpoint().await;
    let owner = raw(&app).await;
    let database = app.database_url.rsplit('/').next().unwrap().to_owned();
    let role = format!("xiaoan_app_{}", &database[9..]);
    let grants = include_str!("../../../../docs/postgres-roles.sql")
        .replace("xiaoan_app", &role)
        .replace("DATABASE xiaoan", &format!("DATABASE {database}"))
        .replace(" PASSWORD 'change-me'", "");
    exec(&owner, &grants).await;
    let as_app =
        app.database_url
            .replacen("postgres://postgres@", &format!("postgres://{role}@"), 1);
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&as_app)
        .await
        .unwrap();
    assert!(
        sqlx::query("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&pool)
            .await
            .is_ok()
    );
    for refused in [
        "UPDATE audit_log SET actor_name = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DROP TRIGGER audit_log_no_update ON audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
    ] {
        let answer = sqlx::raw_sql(refused).execute(&pool).await;
        assert!(answer.is_err(), "the application role may not: {refused}");
    }
    // The server runs as that role: it starts, writes and verifies.
    let key = app::audit::load_or_create_key(&app.key_file()).unwrap();
    let db = store::Db::connect(&as_app, 2, key).await.unwrap();
    let server = app::App::new(db.clone(), app.dir.path(), app.app.clock.clone());
    let scope = domain::scope::Scope::system("test");
    let mut write = db.write(&scope, server.now()).await.unwrap();
    write
        .audit("update", "settings", "x", None, None::<&()>, Some(&1))
        .await
        .unwrap();
    write.commit().await.unwrap();
    pool.close().await;
    server.close().await;
    let (ok, text) = xiaoan(&app, &["audit", "verify"]).await;
    assert!(ok, "{text}");
    exec(&owner, &format!("DROP OWNED BY {role}")).await;
    exec(&owner, &format!("DROP ROLE {role}")).await;
}

/// Paging back through the log shows every entry once, even when hundreds were written
/// in the same instant (the demo county under a clock that stands still).
#[tokio::test]
async fn paging_shows_every_entry_once_across_entries_of_one_instant() {
    let app = super::work::county().await;
    let token = app.token("admin", DEMO_PASSWORD).await;
    let pool = raw(&app).await;
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("n");
    assert!(total > 100, "{total}");
    let mut seen = std::collections::HashSet::new();
    let mut before = String::new();
    for _ in 0..100 {
        let page: serde_json::Value = app
            .api_get(&token, &format!("/api/v1/audit?before={before}"))
            .await;
        for e in page["entries"].as_array().unwrap() {
            let key = format!("{}/{}", e["chain"], e["seq"]);
            assert!(seen.insert(key.clone()), "{key} shown twice");
        }
        match page["next_before"].as_str() {
            Some(next) => before = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total, "every entry is reached");
}
