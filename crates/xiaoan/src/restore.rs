//! `xiaoan restore FILE`: an archive of `xiaoan backup` into an empty data dir or
//! database, with the audit key of the installation it came from; then the audit log is
//! verified and a first checkpoint written.

use crate::config::Config;
use app::App;
use domain::audit::AuditKey;
use domain::clock::SystemClock;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use store::Db;

pub async fn run(archive: &Path, config: &Config, started: Instant) -> Result<ExitCode, String> {
    let key_text = std::fs::read_to_string(&config.audit_key_file).map_err(|e| {
        format!(
            "the audit key {} cannot be read ({e}): copy the key file of the installation this \
             backup came from there, or name it with --audit-key-file (backups never hold the key)",
            config.audit_key_file.display()
        )
    })?;
    let key = AuditKey::from_hex(&key_text)
        .ok_or_else(|| format!("{}: not an audit key", config.audit_key_file.display()))?;
    let manifest = app::backup::manifest(archive)?;
    println!(
        "restoring a backup of {} ({}, {} tables, {} files)",
        manifest.created_at,
        manifest.backend,
        manifest.tables.len(),
        manifest.files
    );
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
    let db = Db::connect(&config.database_url, 4, key)
        .await
        .map_err(|e| format!("cannot open the target database: {e}"))?;
    let app = App::new(db.clone(), &config.data_dir, Arc::new(SystemClock));
    if app.audit_checkpoints.exists() {
        return Err(format!(
            "{} exists: restore only into a new data dir",
            app.audit_checkpoints.display()
        ));
    }
    let (_, summary) =
        app::backup::restore(&db, &config.data_dir.join("files"), archive, &mut |line| {
            eprintln!("  {line}")
        })
        .await?;
    println!(
        "restored {} rows in {} tables and {} files ({} bytes) in {:.1} s",
        summary.rows,
        summary.tables,
        summary.files,
        summary.bytes,
        started.elapsed().as_secs_f64()
    );
    let report = app::audit::verify(&app).await?;
    let code = crate::commands::print_report(&report);
    if report.intact() {
        app::audit::checkpoint(&app)
            .await
            .map_err(|e| format!("cannot write the audit checkpoint: {e}"))?;
    } else {
        eprintln!(
            "the restored audit log does not verify: the archive or the key is not the one it should be"
        );
    }
    Ok(code)
}
