//! Each command: open the database the same way, then do one job.

use crate::cli::{AuditCommand, Command, UserCommand};
use crate::config::Config;
use app::App;
use domain::account::NewPassword;
use domain::clock::SystemClock;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use store::Db;

/// Opens the data dir and database; refuses an audit key that did not sign the log.
pub async fn open(config: &Config) -> Result<App, String> {
    let app = open_unchecked(config).await?;
    app::audit::check_key(&app).await?;
    Ok(app)
}

/// Opens without checking the key against the log: `audit verify` reports what it finds.
async fn open_unchecked(config: &Config) -> Result<App, String> {
    // The data dir keeps the SQLite file and, on either database, uploaded files.
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "cannot create data directory {}: {e}",
            config.data_dir.display()
        )
    })?;
    let key = app::audit::load_or_create_key(&config.audit_key_file)?;
    let db = Db::connect(&config.database_url, 16, key)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    let mut app = App::new(db, &config.data_dir, Arc::new(SystemClock));
    app.outbound = config.outbound.clone();
    app.load_zone()
        .await
        .map_err(|e| format!("cannot read the county's time zone: {e}"))?;
    Ok(app)
}

/// Writes a checkpoint after a command that changed data (the server writes its own).
async fn checkpoint(app: &App) -> Result<(), String> {
    app::audit::checkpoint(app)
        .await
        .map(|_| ())
        .map_err(|e| format!("cannot write the audit checkpoint: {e}"))
}

pub async fn run(command: Command, config: Config) -> Result<ExitCode, String> {
    let started = Instant::now();
    match command {
        Command::Serve(args) => {
            let app = open(&config).await?;
            if args.demo {
                load_demo(&app, args.demo_args.demo_password).await?;
            }
            crate::serve::serve(app, &config, started).await?;
        }
        Command::Demo(args) => {
            let app = open(&config).await?;
            load_demo(&app, args.demo_password).await?;
            checkpoint(&app).await?;
        }
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
        }
        Command::User(command) => {
            let app = open(&config).await?;
            user(&app, command).await?;
            checkpoint(&app).await?;
        }
        Command::Backup { file } => {
            let app = open(&config).await?;
            let summary = app::backup::write(&app, &file, &mut progress)
                .await
                .map_err(|e| format!("backup failed: {e}"))?;
            println!(
                "backup written to {}: {} rows in {} tables, {} files ({} bytes), {:.1} s",
                file.display(),
                summary.rows,
                summary.tables,
                summary.files,
                summary.bytes,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Restore { file } => return crate::restore::run(&file, &config, started).await,
        Command::Audit(AuditCommand::Verify) => {
            let app = open_unchecked(&config).await?;
            if let Err(warning) = app::audit::check_key(&app).await {
                eprintln!("warning: {warning} — or the log was rewritten; checking every entry");
            }
            let report = app::audit::verify(&app).await?;
            return Ok(print_report(&report));
        }
        Command::Audit(AuditCommand::Checkpoint) => {
            let app = open(&config).await?;
            checkpoint(&app).await?;
            println!("checkpoint written to {}", app.audit_checkpoints.display());
        }
        Command::Policy(command) => return crate::policy_cli::run(command, &config).await,
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a progress line on standard error.
fn progress(line: &str) {
    eprintln!("  {line}");
}

/// Prints what `audit verify` found; exit status 3 when anything is wrong.
pub fn print_report(report: &store::AuditReport) -> ExitCode {
    for (chain, n) in &report.chains {
        let name = if chain.is_empty() { "system" } else { chain };
        println!("chain {name}: {n} entries verified");
    }
    if report.legacy_entries > 0 {
        println!(
            "version-1 log (before keyed MACs): {} entries verified by their hash chain",
            report.legacy_entries
        );
    }
    for broken in &report.breaks {
        eprintln!("audit chain BROKEN: {broken}");
    }
    for drift in &report.drift {
        eprintln!("record DRIFT: {drift}");
    }
    if report.intact() {
        println!("audit log intact: every chain, checkpoint and audited record verified");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "audit log NOT intact: {} broken chain(s) or checkpoint(s), {} record(s) changed outside the application",
            report.breaks.len(),
            report.drift.len()
        );
        ExitCode::from(3)
    }
}

async fn load_demo(app: &App, password: Option<String>) -> Result<(), String> {
    let password = password.unwrap_or_else(app::auth::generate_password);
    NewPassword::parse(&password, "").map_err(|e| format!("--demo-password: {e}"))?;
    match app::demo::load_if_empty(app, &password)
        .await
        .map_err(|e| format!("demo: {e}"))?
    {
        None => println!("the database already has data: the demo county was not loaded"),
        Some(logins) => {
            println!("demo county 青山縣 loaded. Logins (password for all: {password}):");
            for login in logins {
                println!(
                    "  {:<14} {} · {}",
                    login.username, login.name, login.unit_name
                );
            }
        }
    }
    Ok(())
}

async fn user(app: &App, command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            unit,
            password,
        } => {
            let issued =
                app::operator::add_user(app, &username, &name, &role, unit.as_deref(), password)
                    .await?;
            println!("created {username} ({role}) at {}", issued.unit_name);
            if let Some(password) = issued.generated {
                println!("temporary password: {password} (to be changed at first login)");
            }
        }
        UserCommand::Passwd { username, password } => {
            let issued = app::operator::set_password(app, &username, password).await?;
            println!("password of {username} set; it must be changed at next login");
            if let Some(password) = issued.generated {
                println!("temporary password: {password}");
            }
        }
        UserCommand::Disable { username } => {
            app::operator::disable(app, &username).await?;
            println!("{username} disabled; its sessions and tokens are ended");
        }
    }
    Ok(())
}
