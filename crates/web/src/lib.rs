//! Xiao'an web layer: the axum router for the UI and the JSON API, askama templates,
//! i18n, sessions and CSRF, security headers, metrics and embedded assets.

mod assets;
mod chart;
mod compression;
mod context;
mod csrf;
mod error;
mod form;
mod metrics;
mod multipart;
mod page;
mod router_errors;
mod routes;
mod security;
mod session;
mod when;
mod xlsx;

/// The catalogs live in their own crate (app renders reminders with them too); web keeps
/// the path `crate::i18n` its files and templates use.
pub use ::i18n;

pub use context::REQUEST_ID_HEADER;
pub use metrics::Metrics;
pub use router_errors::UNROUTED_HEADER;
pub use routes::OPENAPI_DOCUMENT;
pub use routes::table::{BodyLimit, Kind, Object, RouteInfo, route_infos};

use app::App;
use app::auth::SessionPolicy;
use std::sync::Arc;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    /// Largest accepted upload, in bytes.
    pub max_upload: usize,
    /// Largest accepted activity record with its files (photos, lecture video), in bytes.
    pub max_attachments: usize,
    /// Whether an SMTP server is configured (the reminder settings say so when not).
    pub email_enabled: bool,
    /// Send Strict-Transport-Security (served over https).
    pub hsts: bool,
    /// The bearer token `/metrics` requires, if any.
    pub metrics_token: Option<String>,
    /// Proxies whose X-Forwarded-For names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session: SessionPolicy::default(),
            max_upload: 10 * 1024 * 1024,
            max_attachments: 256 * 1024 * 1024,
            email_enabled: false,
            hsts: false,
            metrics_token: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
}

/// The whole web application.
pub fn router(app: App, config: WebConfig) -> axum::Router {
    let state = AppState {
        app,
        config: Arc::new(config),
        metrics: Arc::new(Metrics::default()),
    };
    routes::router(state).layer(compression::layer())
}
