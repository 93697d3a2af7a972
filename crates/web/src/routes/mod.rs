//! The router, built from the route table (`table`): pages under `/`, the JSON API under
//! `/api`, operations endpoints; then the layers every request passes, outermost first: its
//! id and span, styled router errors, security headers, metrics.

mod api;
mod ops;
pub mod table;
mod ui;

use crate::router_errors::{self, Routes};
use crate::{AppState, context, metrics, security};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use std::sync::Arc;
use table::{BodyLimit, Route};

pub use api::openapi::DOCUMENT as OPENAPI_DOCUMENT;

pub fn router(state: AppState) -> Router {
    let max_upload = state.config.max_upload;
    let max_attachments = state.config.max_attachments;
    let mut router = Router::new();
    let mut infos = Vec::new();
    for Route { info, handler } in table::routes() {
        let handler = match info.body {
            BodyLimit::Upload => handler,
            BodyLimit::Attachments => handler.layer(DefaultBodyLimit::max(max_attachments)),
        };
        router = router.route(info.path, handler);
        infos.push(info);
    }
    let routes = Arc::new(Routes {
        table: infos,
        max_upload,
        max_attachments,
    });
    router
        .fallback(router_errors::unrouted)
        .layer(DefaultBodyLimit::max(max_upload))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::layer,
        ))
        .layer(middleware::from_fn_with_state(routes, router_errors::layer))
        .layer(middleware::from_fn(context::layer))
        .with_state(state)
}
