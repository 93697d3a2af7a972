//! `xiaoan serve`: the web server with graceful shutdown, a session sweeper and the reminder
//! scheduler.

use crate::config::Config;
use app::App;
use app::auth::SessionPolicy;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Serves until SIGTERM or Ctrl-C.
pub async fn serve(app: App, config: &Config, started: Instant) -> Result<(), String> {
    let web_config = web::WebConfig {
        secure_cookies: config.secure_cookies,
        session: SessionPolicy {
            idle: time::Duration::minutes(config.session_idle_minutes),
            absolute: time::Duration::hours(config.session_absolute_hours),
        },
        email_enabled: config.mail.is_some(),
        ..web::WebConfig::default()
    };
    let notifier = app::notify::Notifier::new(config.mail.as_ref())?;
    let policy = web_config.session;
    let router = web::router(app.clone(), web_config);
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(sweep_sessions(app.clone(), policy));
    if config.reminder_minutes > 0 {
        tokio::spawn(remind(
            app.clone(),
            notifier,
            config.public_url.clone(),
            Duration::from_secs(config.reminder_minutes * 60),
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
    app.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn sweep_sessions(app: App, policy: SessionPolicy) {
    loop {
        tokio::time::sleep(Duration::from_secs(600)).await;
        let now = app.now();
        if let Err(e) = app
            .db
            .purge_sessions(now - policy.idle, now - policy.absolute)
            .await
        {
            tracing::warn!(error = %e, "session sweep failed");
        }
    }
}

/// The reminder scheduler inside the server (no extra service): a first run a minute after
/// start, then every `every`. Reminders already sent are recorded, so a restart repeats none.
async fn remind(app: App, notifier: app::notify::Notifier, base_url: String, every: Duration) {
    tokio::time::sleep(Duration::from_secs(60)).await;
    loop {
        match web::reminders::run_once(&app, &notifier, &base_url).await {
            Ok(report) if report.recorded > 0 => tracing::info!(?report, "reminders sent"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reminder run failed"),
        }
        tokio::time::sleep(every).await;
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
