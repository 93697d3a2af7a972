//! The command line: every command that touches data takes the same database options.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "xiaoan",
    version,
    about = "校安 Xiao'an — school safety and comprehensive governance"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command (flags over `XIAOAN_*` environment over the TOML file).
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Directory of the embedded SQLite database and uploads [default: ./xiaoan-data]
    #[arg(long, global = true, env = "XIAOAN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user@host/db); when set, used instead of SQLite
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Optional TOML configuration file [default: ./xiaoan.toml when present]
    #[arg(long, global = true, env = "XIAOAN_CONFIG")]
    pub config: Option<PathBuf>,
    /// The audit key file (keep it apart from database backups) [default: DATA_DIR/audit.key]
    #[arg(long, global = true, env = "XIAOAN_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
    /// Log format: text or json
    #[arg(long, global = true, env = "XIAOAN_LOG_FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web UI and JSON API
    Serve(ServeArgs),
    /// Load the demo county into an empty database and print its logins
    Demo(DemoArgs),
    /// Apply pending database migrations
    Migrate,
    /// Manage login accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Write one archive of everything — database, files, manifest — while the server runs
    Backup {
        /// The archive to write (must not exist), e.g. xiaoan-2026-12-01.tar
        file: PathBuf,
    },
    /// Restore an archive from `xiaoan backup` into an empty data dir or database
    Restore {
        /// The archive to read
        file: PathBuf,
    },
    /// Audit log tools
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The policy: every obligation, its frequency, deadline and evidence (R-POL-1)
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "XIAOAN_ADDR")]
    pub addr: Option<String>,
    /// Load the demo county when the database is empty
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub demo_args: DemoArgs,
    /// Mark cookies Secure (when served behind TLS)
    #[arg(long, env = "XIAOAN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// SMTP server for reminder e-mail: smtp://host:25, smtp://user:pass@host:587?tls=required, smtps://…
    #[arg(long, env = "XIAOAN_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Sender of reminder e-mail, e.g. "校安 <xiaoan@county.edu.cn>"
    #[arg(long, env = "XIAOAN_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// The address people open Xiao'an at, for links in e-mail and webhooks [default: http://ADDR]
    #[arg(long, env = "XIAOAN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Minutes between reminder runs; 0 turns reminders off [default: 15]
    #[arg(long, env = "XIAOAN_REMINDER_MINUTES")]
    pub reminder_minutes: Option<u64>,
    /// Minutes between signed checkpoints of the audit chains (also written at shutdown)
    /// [default: 10]
    #[arg(long, env = "XIAOAN_AUDIT_CHECKPOINT_MINUTES")]
    pub audit_checkpoint_minutes: Option<u64>,
    /// Proxies whose X-Forwarded-For is believed (IP addresses, comma-separated); without
    /// it the client address is the socket's
    #[arg(long, env = "XIAOAN_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// Token that /metrics requires (as `Authorization: Bearer …`); without it /metrics is open
    #[arg(long, env = "XIAOAN_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// Hosts whose robot webhooks may use plain http (comma-separated)
    #[arg(long, env = "XIAOAN_WEBHOOK_ALLOW_HTTP", value_delimiter = ',')]
    pub webhook_allow_http: Vec<String>,
    /// Let robot webhooks reach loopback and private-network addresses (tests, closed
    /// intranets)
    #[arg(long, env = "XIAOAN_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Password of every demo login [default: a random one, printed]
    #[arg(long, env = "XIAOAN_DEMO_PASSWORD")]
    pub demo_password: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a person with a role and a login
    Add {
        /// Login name (3–32 of a-z 0-9 . _ -)
        username: String,
        /// The person's name
        #[arg(long)]
        name: String,
        /// Role code, e.g. bureau_admin, principal, teacher
        #[arg(long, default_value = "bureau_admin")]
        role: String,
        /// Unit id where the role is held [default: the top unit]
        #[arg(long)]
        unit: Option<String>,
        /// Password [default: a random one, printed; to be changed at first login]
        #[arg(long)]
        password: Option<String>,
    },
    /// Set a new password (to be changed at next login)
    Passwd {
        username: String,
        /// Password [default: a random one, printed]
        #[arg(long)]
        password: Option<String>,
    },
    /// Disable a login and end its sessions
    Disable { username: String },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check every chain, its checkpoints and every audited record; exits non-zero and
    /// names each break
    Verify,
    /// Write a signed checkpoint of every chain's head to the checkpoint file now
    Checkpoint,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Check a policy file; prints each mistake with its line and exits non-zero
    Check {
        /// The TOML policy file
        file: PathBuf,
    },
    /// Print the policy in force today (the shipped default when none was set)
    Show,
}
