//! Each command: open the database the same way, then do one job.

use crate::cli::{AuditCommand, Command, UserCommand};
use crate::config::Config;
use app::App;
use domain::account::{NewPassword, Username};
use domain::clock::SystemClock;
use domain::role::Role;
use domain::scope::Scope;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use store::{Db, NewUser};

pub async fn open(config: &Config) -> Result<App, String> {
    // The data dir keeps the SQLite file and, on either database, uploaded files.
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "cannot create data directory {}: {e}",
            config.data_dir.display()
        )
    })?;
    let db = Db::connect(&config.database_url, 16)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    Ok(App::new(
        db,
        config.data_dir.join("files"),
        Arc::new(SystemClock),
    ))
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
        }
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
        }
        Command::User(command) => user(&open(&config).await?, command).await?,
        Command::Backup { file } => {
            let app = open(&config).await?;
            if !config.is_sqlite() {
                println!(
                    "PostgreSQL: use pg_dump, for example:\n  pg_dump --format=custom --file={} '{}'",
                    file.display(),
                    config.database_url
                );
                return Ok(ExitCode::SUCCESS);
            }
            app.db
                .backup_sqlite(&file)
                .await
                .map_err(|e| format!("backup failed: {e}"))?;
            println!("backup written to {}", file.display());
        }
        Command::Audit(AuditCommand::Verify) => {
            let app = open(&config).await?;
            match app
                .db
                .verify_audit_chain()
                .await
                .map_err(|e| e.to_string())?
            {
                Ok(n) => println!("audit chain intact: {n} entries verified"),
                Err(broken) => {
                    eprintln!("audit chain BROKEN: {broken}");
                    return Ok(ExitCode::from(3));
                }
            }
        }
        Command::Policy(command) => return crate::policy_cli::run(command, &config).await,
    }
    Ok(ExitCode::SUCCESS)
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
    let scope = Scope::system("xiaoan user");
    let now = app.now();
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            unit,
            password,
        } => {
            let username = Username::parse(&username).map_err(|e| format!("username: {e}"))?;
            let role = Role::parse(&role).ok_or_else(|| format!("unknown role {role:?}"))?;
            let units = app.db.units(&scope).await.map_err(|e| e.to_string())?;
            let unit = match unit {
                Some(id) => units
                    .into_iter()
                    .find(|u| u.id.to_string() == id)
                    .ok_or_else(|| format!("no unit {id}"))?,
                None => units
                    .into_iter()
                    .next()
                    .ok_or("there is no unit yet: run `xiaoan demo` or create the bureau first")?,
            };
            let generated = password.is_none();
            let password = password.unwrap_or_else(app::auth::generate_password);
            NewPassword::parse(&password, username.as_str())
                .map_err(|e| format!("password: {e}"))?;
            let hash = app::auth::hash_blocking(&password).await;
            let person_name =
                domain::person::parse_person_name(&name).map_err(|e| format!("name: {e}"))?;
            let mut write = app.db.write(&scope, now).await.map_err(|e| e.to_string())?;
            let person = write
                .create_person(&unit, &person_name, None)
                .await
                .map_err(|e| e.to_string())?;
            write
                .assign_role(&person, role, &unit)
                .await
                .map_err(|e| e.to_string())?;
            let new = NewUser {
                username: username.as_str().to_owned(),
                password_hash: hash,
                must_change_password: generated,
            };
            write
                .create_user(&person, &unit.path, &new)
                .await
                .map_err(|e| e.to_string())?;
            write.commit().await.map_err(|e| e.to_string())?;
            println!("created {username} ({}) at {}", role.code(), unit.name);
            if generated {
                println!("temporary password: {password} (to be changed at first login)");
            }
        }
        UserCommand::Passwd { username, password } => {
            let user = app
                .db
                .user_for_login(&username)
                .await
                .map_err(|e| e.to_string())?
                .ok_or(format!("no user {username}"))?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(app::auth::generate_password);
            NewPassword::parse(&password, &user.username).map_err(|e| format!("password: {e}"))?;
            let hash = app::auth::hash_blocking(&password).await;
            let mut write = app.db.write(&scope, now).await.map_err(|e| e.to_string())?;
            write
                .set_password(&user, &hash, true)
                .await
                .map_err(|e| e.to_string())?;
            write.commit().await.map_err(|e| e.to_string())?;
            println!("password of {username} set; it must be changed at next login");
            if generated {
                println!("temporary password: {password}");
            }
        }
        UserCommand::Disable { username } => {
            let user = app
                .db
                .user_for_login(&username)
                .await
                .map_err(|e| e.to_string())?
                .ok_or(format!("no user {username}"))?;
            let mut write = app.db.write(&scope, now).await.map_err(|e| e.to_string())?;
            write
                .set_disabled(&user, true)
                .await
                .map_err(|e| e.to_string())?;
            write.commit().await.map_err(|e| e.to_string())?;
            println!("{username} disabled; its sessions and tokens are ended");
        }
    }
    Ok(())
}
