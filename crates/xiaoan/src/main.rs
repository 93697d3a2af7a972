//! `xiaoan`: the one binary — serve the web UI and API, load the demo county, migrate,
//! manage users, back up, verify the audit chain.

mod cli;
mod commands;
mod config;
mod policy_cli;
mod restore;
mod serve;

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let config = match config::Config::resolve(&cli) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("xiaoan: {message}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    match commands::run(cli.command, config).await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xiaoan: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &config::Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("XIAOAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}
