//! One typed configuration, resolved once: flags over `XIAOAN_*` environment (both read
//! by clap) over an optional TOML file, over defaults. Passed down; no global state.

use crate::cli::{Cli, Command};
use serde::Deserialize;
use std::path::PathBuf;

/// The TOML file's keys (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    log_format: Option<String>,
    secure_cookies: Option<bool>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    public_url: Option<String>,
    reminder_minutes: Option<u64>,
    audit_key_file: Option<PathBuf>,
    audit_checkpoint_minutes: Option<u64>,
    trusted_proxy: Option<Vec<std::net::IpAddr>>,
    metrics_token: Option<String>,
    webhook_allow_http: Option<Vec<String>>,
    webhook_allow_private: Option<bool>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub addr: String,
    pub log_json: bool,
    pub secure_cookies: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Reminder e-mail: the SMTP server and the sender, when configured.
    pub mail: Option<app::notify::MailConfig>,
    /// Where people open Xiao'an, for links sent out.
    pub public_url: String,
    /// Minutes between reminder runs (0: off).
    pub reminder_minutes: u64,
    /// The key of the audit MACs, apart from the database.
    pub audit_key_file: PathBuf,
    /// Minutes between audit checkpoints (0: only at shutdown).
    pub audit_checkpoint_minutes: u64,
    /// Proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub metrics_token: Option<String>,
    /// Where robot webhooks may go.
    pub outbound: app::outbound::OutboundPolicy,
}

impl Config {
    pub fn resolve(cli: &Cli) -> Result<Self, String> {
        let file = match &cli.common.config {
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from("xiaoan.toml")).filter(|p| p.exists()),
        };
        let file: FileConfig = match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = cli
            .common
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("xiaoan-data"));
        let database_url = match cli.common.database_url.clone().or(file.database_url) {
            Some(url)
                if url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite:") =>
            {
                url
            }
            Some(url) => {
                return Err(format!(
                    "unsupported database URL {url:?}: use postgres://… or sqlite://…"
                ));
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("xiaoan.db").display()),
        };
        let (serve_addr, serve_secure) = match &cli.command {
            Command::Serve(args) => (args.addr.clone(), args.secure_cookies),
            _ => (None, false),
        };
        let serve = match &cli.command {
            Command::Serve(args) => Some(args),
            _ => None,
        };
        let smtp_url = serve.and_then(|a| a.smtp_url.clone()).or(file.smtp_url);
        let mail_from = serve.and_then(|a| a.mail_from.clone()).or(file.mail_from);
        let mail = match (smtp_url, mail_from) {
            (Some(smtp_url), Some(from)) => Some(app::notify::MailConfig { smtp_url, from }),
            (Some(_), None) => return Err("--smtp-url needs --mail-from (the sender)".into()),
            (None, _) => None,
        };
        let public_url = serve.and_then(|a| a.public_url.clone()).or(file.public_url);
        let reminder_minutes = serve
            .and_then(|a| a.reminder_minutes)
            .or(file.reminder_minutes)
            .unwrap_or(15);
        let audit_key_file = cli
            .common
            .audit_key_file
            .clone()
            .or(file.audit_key_file)
            .unwrap_or_else(|| data_dir.join("audit.key"));
        let audit_checkpoint_minutes = serve
            .and_then(|a| a.audit_checkpoint_minutes)
            .or(file.audit_checkpoint_minutes)
            .unwrap_or(10);
        let trusted_proxies = serve
            .map(|a| a.trusted_proxy.clone())
            .filter(|p| !p.is_empty())
            .or(file.trusted_proxy)
            .unwrap_or_default();
        let metrics_token = serve
            .and_then(|a| a.metrics_token.clone())
            .or(file.metrics_token)
            .filter(|t| !t.is_empty());
        let outbound = app::outbound::OutboundPolicy {
            allow_http_hosts: serve
                .map(|a| a.webhook_allow_http.clone())
                .filter(|h| !h.is_empty())
                .or(file.webhook_allow_http)
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.trim().to_lowercase())
                .collect(),
            allow_private: serve.is_some_and(|a| a.webhook_allow_private)
                || file.webhook_allow_private.unwrap_or(false),
        };
        let log_format = cli
            .common
            .log_format
            .clone()
            .or(file.log_format)
            .unwrap_or_else(|| "text".to_owned());
        if log_format != "text" && log_format != "json" {
            return Err(format!(
                "--log-format must be text or json, not {log_format:?}"
            ));
        }
        let addr = serve_addr
            .or(file.addr)
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let public_https = public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Ok(Config {
            database_url,
            data_dir,
            public_url: public_url
                .unwrap_or_else(|| format!("http://{addr}"))
                .trim_end_matches('/')
                .to_owned(),
            reminder_minutes,
            audit_key_file,
            audit_checkpoint_minutes,
            trusted_proxies,
            metrics_token,
            outbound,
            mail,
            addr,
            log_json: log_format == "json",
            secure_cookies: serve_secure || file.secure_cookies.unwrap_or(false) || public_https,
            session_idle_minutes: file.session_idle_minutes.unwrap_or(60).clamp(5, 24 * 60),
            session_absolute_hours: file.session_absolute_hours.unwrap_or(12).clamp(1, 24 * 7),
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
