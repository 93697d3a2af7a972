//! `xiaoan serve`: the web server with graceful shutdown, a session sweeper, the reminder
//! scheduler and audit checkpoints. Several servers may share one PostgreSQL database (and
//! one data dir): shared background work runs under a database lease, once. On SQLite one
//! server owns the data dir (a lock file says so).

use crate::config::Config;
use app::App;
use app::auth::SessionPolicy;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Serves until SIGTERM or Ctrl-C.
pub async fn serve(app: App, config: &Config, started: Instant) -> Result<(), String> {
    let _owner = if config.is_sqlite() {
        Some(own_data_dir(config)?)
    } else {
        None
    };
    match app.blobs.clean_temporaries() {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            removed = n,
            "removed temporary files left by an earlier run"
        ),
        Err(e) => tracing::warn!(error = %e, "cannot clean temporary files"),
    }
    match app::files::clean_uploads(&app) {
        0 => {}
        n => tracing::info!(
            removed = n,
            "removed unfinished uploads left by an earlier run"
        ),
    }
    let web_config = web::WebConfig {
        secure_cookies: config.secure_cookies,
        session: SessionPolicy {
            idle: time::Duration::minutes(config.session_idle_minutes),
            absolute: time::Duration::hours(config.session_absolute_hours),
        },
        email_enabled: config.mail.is_some(),
        hsts: config.public_url.starts_with("https://"),
        metrics_token: config.metrics_token.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        ..web::WebConfig::default()
    };
    let notifier = app::notify::Notifier::new(config.mail.as_ref(), &config.outbound)?;
    let policy = web_config.session;
    let router = web::router(app.clone(), web_config);
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let holder = format!("{}:{}:{local}", hostname(), std::process::id());
    tokio::spawn(sweep_sessions(app.clone(), policy));
    tokio::spawn(follow_zone(app.clone()));
    if config.reminder_minutes > 0 {
        tokio::spawn(remind(
            app.clone(),
            notifier,
            config.public_url.clone(),
            Duration::from_secs(config.reminder_minutes * 60),
            holder.clone(),
        ));
    }
    if config.audit_checkpoint_minutes > 0 {
        tokio::spawn(checkpoints(
            app.clone(),
            Duration::from_secs(config.audit_checkpoint_minutes * 60),
            holder,
        ));
    }
    tracing::info!(addr = %local, ready_ms = started.elapsed().as_millis() as u64, "xiaoan is ready");
    println!("校安 Xiao'an: open http://{local}/");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server failed: {e}"))?;
    if let Err(e) = app::audit::checkpoint(&app).await {
        tracing::error!(error = %e, "cannot write the audit checkpoint at shutdown");
    }
    app.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// On SQLite, one server per data dir: a second one would race the first for the file.
fn own_data_dir(config: &Config) -> Result<std::fs::File, String> {
    let path = config.data_dir.join("xiaoan.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    file.try_lock().map_err(|_| {
        format!(
            "another xiaoan server is running on {} (SQLite serves one process; run several servers on PostgreSQL)",
            config.data_dir.display()
        )
    })?;
    Ok(file)
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".to_owned())
}

/// Reads the county's time zone again every minute, so a change made through another
/// server of the same database arrives here too (this server's own changes apply at once).
async fn follow_zone(app: App) {
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        if let Err(e) = app.load_zone().await {
            tracing::warn!(error = %e, "reading the time zone failed; keeping the last one");
        }
    }
}

async fn sweep_sessions(app: App, policy: SessionPolicy) {
    loop {
        tokio::time::sleep(Duration::from_secs(600)).await;
        if let Err(e) = app::auth::purge_sessions(&app, policy).await {
            tracing::warn!(error = %e, "session sweep failed");
        }
    }
}

/// Whether this server holds the lease `name` for the next `every` (renewed each time).
async fn leased(app: &App, name: &str, holder: &str, every: Duration) -> bool {
    let hold = time::Duration::try_from(every).unwrap_or(time::Duration::minutes(15));
    match app.take_lease(name, holder, hold).await {
        Ok(held) => held,
        Err(e) => {
            tracing::warn!(error = %e, lease = name, "cannot take the lease");
            false
        }
    }
}

/// The reminder scheduler inside the server (no extra service): a first run a minute after
/// start, then every `every`, by whichever server holds the lease. Reminders already sent
/// are recorded, so a restart repeats none.
async fn remind(
    app: App,
    notifier: app::notify::Notifier,
    base_url: String,
    every: Duration,
    holder: String,
) {
    tokio::time::sleep(Duration::from_secs(60)).await;
    loop {
        if leased(&app, "reminders", &holder, every).await {
            match app::reminder_run::run_once(&app, &notifier, &base_url).await {
                Ok(report) if report.recorded > 0 => tracing::info!(?report, "reminders sent"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reminder run failed"),
            }
        }
        tokio::time::sleep(every).await;
    }
}

/// A signed checkpoint of every audit chain every `every`, by the lease holder.
async fn checkpoints(app: App, every: Duration, holder: String) {
    loop {
        tokio::time::sleep(every).await;
        if leased(&app, "audit-checkpoint", &holder, every).await
            && let Err(e) = app::audit::checkpoint(&app).await
        {
            tracing::error!(error = %e, "cannot write the audit checkpoint");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
