//! The route table: pages under `/`, the JSON API under `/api/v1`, operations endpoints.

mod api;
mod ops;
mod ui;

use crate::{AppState, assets, metrics, security};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{delete, get, post};

pub fn router(state: AppState) -> Router {
    let max_upload = state.config.max_upload;
    let max_attachments = state.config.max_attachments;
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{file}", get(assets::serve))
        .route("/login", get(ui::login::show).post(ui::login::submit))
        .route("/lang/{code}", get(ui::language::for_visitor))
        .route("/logout", post(ui::logout::submit))
        .route("/", get(ui::home::show))
        .route("/org", get(ui::org::tree::show))
        .route(
            "/org/import-template.xlsx",
            get(ui::org::import_template::download),
        )
        .route("/org/units/{id}", get(ui::org::unit_show::show))
        .route(
            "/org/units/{id}/children",
            post(ui::org::unit_create::submit),
        )
        .route("/org/units/{id}/edit", post(ui::org::unit_update::submit))
        .route("/org/units/{id}/delete", post(ui::org::unit_delete::submit))
        .route(
            "/org/units/{id}/people",
            post(ui::org::person_create::submit),
        )
        .route(
            "/org/units/{id}/leadership",
            post(ui::org::leader_add::submit),
        )
        .route(
            "/org/units/{id}/leadership/{member}/delete",
            post(ui::org::leader_remove::submit),
        )
        .route(
            "/org/units/{id}/import",
            get(ui::org::import_form::show).post(ui::org::import_preview::submit),
        )
        .route(
            "/org/units/{id}/import/confirm",
            post(ui::org::import_confirm::submit),
        )
        .route("/org/people/{id}", get(ui::org::person_show::show))
        .route(
            "/org/people/{id}/edit",
            post(ui::org::person_update::submit),
        )
        .route("/org/people/{id}/roles", post(ui::org::role_assign::submit))
        .route(
            "/org/people/{id}/roles/{assignment}/delete",
            post(ui::org::role_remove::submit),
        )
        .route(
            "/org/people/{id}/login",
            post(ui::org::login_create::submit),
        )
        .route("/calendar", get(ui::work::calendar::mine))
        .route("/matrix", get(ui::work::matrix::mine))
        .route("/units/{id}/calendar", get(ui::work::calendar::show))
        .route("/units/{id}/matrix", get(ui::work::matrix::show))
        .route(
            "/units/{id}/matrix.xlsx",
            get(ui::work::matrix_xlsx::download),
        )
        .route(
            "/units/{id}/terms",
            get(ui::terms::show::show).post(ui::terms::term_add::submit),
        )
        .route(
            "/units/{id}/terms/{term}/delete",
            post(ui::terms::term_remove::submit),
        )
        .route("/units/{id}/holidays", post(ui::terms::holiday_add::submit))
        .route(
            "/units/{id}/holidays/{holiday}/delete",
            post(ui::terms::holiday_remove::submit),
        )
        .route(
            "/units/{id}/activities/new",
            get(ui::activities::form::show),
        )
        .route(
            "/units/{id}/activities",
            post(ui::activities::create::submit).layer(DefaultBodyLimit::max(max_attachments)),
        )
        .route("/activities/{id}", get(ui::activities::show::show))
        .route(
            "/attachments/{id}",
            get(ui::activities::attachment::download),
        )
        .route(
            "/policy",
            get(ui::policy::show::show).post(ui::policy::upload::submit),
        )
        .route("/policy/compare", get(ui::policy::compare::show))
        .route("/hazards", get(ui::hazards::ledger::mine))
        .route(
            "/units/{id}/hazards",
            get(ui::hazards::ledger::show)
                .post(ui::hazards::report::submit)
                .layer(DefaultBodyLimit::max(max_attachments)),
        )
        .route(
            "/units/{id}/hazards.xlsx",
            get(ui::hazards::ledger_xlsx::download),
        )
        .route(
            "/units/{id}/hazards/new",
            get(ui::hazards::report_form::show),
        )
        .route("/hazards/{id}", get(ui::hazards::show::show))
        .route(
            "/units/{id}/inspections",
            get(ui::inspections::list::show)
                .post(ui::inspections::create::submit)
                .layer(DefaultBodyLimit::max(max_attachments)),
        )
        .route(
            "/units/{id}/inspections/new",
            get(ui::inspections::form::show),
        )
        .route("/inspections/{id}", get(ui::inspections::show::show))
        .route(
            "/units/{id}/checklists",
            get(ui::checklists::show::show).post(ui::checklists::publish::submit),
        )
        .route(
            "/units/{id}/places",
            get(ui::places::show::show).post(ui::places::place_add::submit),
        )
        .route(
            "/units/{id}/equipment",
            post(ui::places::equipment_add::submit),
        )
        .route("/equipment/{id}/check", post(ui::places::check::submit))
        .route("/reports", get(ui::reports::list::mine))
        .route(
            "/units/{id}/reports",
            get(ui::reports::list::show).post(ui::reports::prepare::submit),
        )
        .route("/reports/{id}", get(ui::reports::show::show))
        .route("/reports/{id}/confirm", post(ui::reports::confirm::submit))
        .route(
            "/hazards/{id}/steps",
            post(ui::hazards::step::submit).layer(DefaultBodyLimit::max(max_attachments)),
        )
        .route("/admin/users", get(ui::admin::users::show))
        .route(
            "/admin/users/{id}/reset",
            post(ui::admin::user_reset::submit),
        )
        .route(
            "/admin/users/{id}/disable",
            post(ui::admin::user_disable::disable),
        )
        .route(
            "/admin/users/{id}/enable",
            post(ui::admin::user_disable::enable),
        )
        .route("/admin/audit", get(ui::admin::audit::show))
        .route("/account", get(ui::account::show::show))
        .route(
            "/account/password",
            get(ui::account::password::show).post(ui::account::password::submit),
        )
        .route("/account/language", post(ui::language::for_user))
        .route("/account/reminders", post(ui::account::reminders::submit))
        .route(
            "/notifications/read",
            post(ui::account::notifications_read::submit),
        )
        .route(
            "/account/tokens/{id}/revoke",
            post(ui::account::token_revoke::submit),
        )
        .route("/api/openapi.json", get(api::openapi::document))
        .route("/api/v1/auth/login", post(api::auth::login))
        .route("/api/v1/auth/tokens", get(api::auth::tokens))
        .route("/api/v1/auth/tokens/{id}", delete(api::auth::revoke))
        .route("/api/v1/me", get(api::me::show))
        .route("/api/v1/me/work", get(api::me_work::list))
        .route("/api/v1/org/units", get(api::org::units))
        .route("/api/v1/org/units/{id}", get(api::org::unit))
        .route(
            "/api/v1/org/units/{id}/children",
            post(api::org::create_child),
        )
        .route(
            "/api/v1/org/units/{id}/people",
            get(api::org::people).post(api::org::create_person),
        )
        .route("/api/v1/people/{id}/roles", post(api::org::assign_role))
        .route("/api/v1/users", get(api::users::list))
        .route("/api/v1/audit", get(api::audit::list))
        .route(
            "/api/v1/units/{id}/hazards",
            get(api::hazards::list).post(api::hazards::report),
        )
        .route("/api/v1/hazards/{id}", get(api::hazards::show))
        .route("/api/v1/checklists", get(api::inspections::checklists))
        .route(
            "/api/v1/units/{id}/inspections",
            get(api::inspections::list).post(api::inspections::record),
        )
        .route("/api/v1/units/{id}/places", get(api::inspections::places))
        .route("/api/v1/hazards/{id}/steps", post(api::hazards::step))
        .route(
            "/api/v1/units/{id}/reports",
            get(api::reports::submissions).post(api::reports::prepare),
        )
        .route("/api/v1/reports/{id}/confirm", post(api::reports::confirm))
        .fallback(ui::not_found::show)
        .layer(DefaultBodyLimit::max(max_upload))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::layer,
        ))
        .with_state(state)
}
