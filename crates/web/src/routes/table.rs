//! The route table as data: every path with its method, handler, kind, the object each of
//! its parameters names and its body limit. The router is built from it, and the guard
//! tests (the cross-school walk, the OpenAPI coverage) read the same list.

use super::{api, ops, ui};
use crate::{AppState, assets};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};

/// Who a route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A page for a person in a browser (HTML, styled error pages).
    Page,
    /// The JSON API (problem+json errors, described in the OpenAPI document).
    Api,
    /// Probes and metrics for the operator.
    Ops,
    /// Embedded static files.
    Static,
}

/// What a path parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Object {
    Unit,
    Person,
    /// A role assignment of a person.
    Assignment,
    /// A member of a unit's leadership group.
    LeadershipMember,
    User,
    Term,
    Holiday,
    Activity,
    Attachment,
    Hazard,
    Inspection,
    Report,
    Equipment,
    Token,
    /// Not a record: the name of an embedded static file.
    StaticFile,
    /// Not a record: a language code.
    Language,
}

impl Object {
    /// Whether the parameter is the id of a record that belongs to a unit (a UUID, scoped).
    pub fn is_record(self) -> bool {
        !matches!(self, Object::StaticFile | Object::Language)
    }

    /// The i18n key of the object's name ("a report"), for messages about a bad id.
    pub fn name_key(self) -> &'static str {
        match self {
            Object::Unit => "object.unit",
            Object::Person => "object.person",
            Object::Assignment => "object.assignment",
            Object::LeadershipMember => "object.leadership_member",
            Object::User => "object.user",
            Object::Term => "object.term",
            Object::Holiday => "object.holiday",
            Object::Activity => "object.activity",
            Object::Attachment => "object.attachment",
            Object::Hazard => "object.hazard",
            Object::Inspection => "object.inspection",
            Object::Report => "object.report",
            Object::Equipment => "object.equipment",
            Object::Token => "object.token",
            Object::StaticFile => "object.static_file",
            Object::Language => "object.language",
        }
    }
}

/// The HTTP methods the table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Delete,
}

impl Verb {
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Delete => Method::DELETE,
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Delete => MethodFilter::DELETE,
        }
    }
}

/// The largest request body a route accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    /// `WebConfig::max_upload`: forms, JSON, policy, checklist and roster files.
    Upload,
    /// `WebConfig::max_attachments`: a record with its photos, documents and videos.
    Attachments,
}

/// What the tests and the error layer know of a route (everything but its handler).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub kind: Kind,
    /// What each `{…}` parameter of the path names, in order.
    pub params: &'static [Object],
    pub body: BodyLimit,
    /// Whether the body is a multipart form (files), not a URL-encoded one or JSON.
    pub multipart: bool,
}

impl RouteInfo {
    /// The names of the path's parameters, in order (`id` for `/units/{id}/terms`).
    pub fn param_names(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect()
    }

    /// The object named by the path parameter `name`.
    pub fn object_of(&self, name: &str) -> Option<Object> {
        self.param_names()
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.params.get(i).copied())
    }
}

/// One row of the table.
pub struct Route {
    pub info: RouteInfo,
    pub handler: MethodRouter<AppState>,
}

impl Route {
    fn new<H, T>(kind: Kind, verb: Verb, path: &'static str, handler: H) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route {
            info: RouteInfo {
                method: verb.method(),
                path,
                kind,
                params: &[],
                body: BodyLimit::Upload,
                multipart: false,
            },
            handler: on(verb.filter(), handler),
        }
    }

    /// Names what each path parameter is, in order.
    fn names(mut self, params: &'static [Object]) -> Route {
        self.info.params = params;
        self
    }

    /// Takes a multipart form (a file within the upload limit).
    fn multipart(mut self) -> Route {
        self.info.multipart = true;
        self
    }

    /// Takes a multipart record with its files (`WebConfig::max_attachments`).
    fn with_attachments(mut self) -> Route {
        self.info.body = BodyLimit::Attachments;
        self.multipart()
    }
}

fn page<H: Handler<T, AppState>, T: 'static>(m: Verb, path: &'static str, h: H) -> Route {
    Route::new(Kind::Page, m, path, h)
}

fn api<H: Handler<T, AppState>, T: 'static>(m: Verb, path: &'static str, h: H) -> Route {
    Route::new(Kind::Api, m, path, h)
}

fn ops<H: Handler<T, AppState>, T: 'static>(m: Verb, path: &'static str, h: H) -> Route {
    Route::new(Kind::Ops, m, path, h)
}

/// Every route of the application.
pub fn routes() -> Vec<Route> {
    use Object::*;
    use Verb::{Delete as DELETE, Get as GET, Post as POST};
    vec![
        ops(GET, "/healthz", ops::healthz),
        ops(GET, "/readyz", ops::readyz),
        ops(GET, "/metrics", ops::metrics),
        Route::new(Kind::Static, GET, "/static/{file}", assets::serve).names(&[StaticFile]),
        Route::new(Kind::Static, GET, "/favicon.ico", assets::favicon),
        // Signing in and out, languages, home.
        page(GET, "/login", ui::login::show),
        page(POST, "/login", ui::login::submit),
        page(GET, "/lang/{code}", ui::language::for_visitor).names(&[Language]),
        page(POST, "/logout", ui::logout::submit),
        page(GET, "/", ui::home::show),
        // The organisation.
        page(GET, "/org", ui::org::tree::show),
        page(
            GET,
            "/org/import-template.xlsx",
            ui::org::import_template::download,
        ),
        page(GET, "/org/units/{id}", ui::org::unit_show::show).names(&[Unit]),
        page(
            POST,
            "/org/units/{id}/children",
            ui::org::unit_create::submit,
        )
        .names(&[Unit]),
        page(POST, "/org/units/{id}/edit", ui::org::unit_update::submit).names(&[Unit]),
        page(POST, "/org/units/{id}/delete", ui::org::unit_delete::submit).names(&[Unit]),
        page(
            POST,
            "/org/units/{id}/people",
            ui::org::person_create::submit,
        )
        .names(&[Unit]),
        page(
            POST,
            "/org/units/{id}/leadership",
            ui::org::leader_add::submit,
        )
        .names(&[Unit]),
        page(
            POST,
            "/org/units/{id}/leadership/{member}/delete",
            ui::org::leader_remove::submit,
        )
        .names(&[Unit, LeadershipMember]),
        page(GET, "/org/units/{id}/import", ui::org::import_form::show).names(&[Unit]),
        page(
            POST,
            "/org/units/{id}/import",
            ui::org::import_preview::submit,
        )
        .names(&[Unit])
        .multipart(),
        page(
            POST,
            "/org/units/{id}/import/confirm",
            ui::org::import_confirm::submit,
        )
        .names(&[Unit]),
        page(GET, "/org/people/{id}", ui::org::person_show::show).names(&[Person]),
        page(
            POST,
            "/org/people/{id}/edit",
            ui::org::person_update::submit,
        )
        .names(&[Person]),
        page(POST, "/org/people/{id}/roles", ui::org::role_assign::submit).names(&[Person]),
        page(
            POST,
            "/org/people/{id}/roles/{assignment}/delete",
            ui::org::role_remove::submit,
        )
        .names(&[Person, Assignment]),
        page(
            POST,
            "/org/people/{id}/login",
            ui::org::login_create::submit,
        )
        .names(&[Person]),
        // Work, calendar and terms.
        page(GET, "/calendar", ui::work::calendar::mine),
        page(GET, "/matrix", ui::work::matrix::mine),
        page(GET, "/units/{id}/calendar", ui::work::calendar::show).names(&[Unit]),
        page(GET, "/units/{id}/matrix", ui::work::matrix::show).names(&[Unit]),
        page(
            GET,
            "/units/{id}/matrix.xlsx",
            ui::work::matrix_xlsx::download,
        )
        .names(&[Unit]),
        page(GET, "/units/{id}/terms", ui::terms::show::show).names(&[Unit]),
        page(POST, "/units/{id}/terms", ui::terms::term_add::submit).names(&[Unit]),
        page(
            POST,
            "/units/{id}/terms/{term}/delete",
            ui::terms::term_remove::submit,
        )
        .names(&[Unit, Term]),
        page(POST, "/units/{id}/holidays", ui::terms::holiday_add::submit).names(&[Unit]),
        page(
            POST,
            "/units/{id}/holidays/{holiday}/delete",
            ui::terms::holiday_remove::submit,
        )
        .names(&[Unit, Holiday]),
        // Work records.
        page(
            GET,
            "/units/{id}/activities/new",
            ui::activities::form::show,
        )
        .names(&[Unit]),
        page(
            POST,
            "/units/{id}/activities",
            ui::activities::create::submit,
        )
        .names(&[Unit])
        .with_attachments(),
        page(GET, "/activities/{id}", ui::activities::show::show).names(&[Activity]),
        page(
            GET,
            "/attachments/{id}",
            ui::activities::attachment::download,
        )
        .names(&[Attachment]),
        // The policy.
        page(GET, "/policy", ui::policy::show::show),
        page(POST, "/policy", ui::policy::upload::submit).multipart(),
        page(GET, "/policy/compare", ui::policy::compare::show),
        page(GET, "/policy/edit", ui::policy::edit::show),
        page(POST, "/policy/edit", ui::policy::save::submit),
        // Hazards.
        page(GET, "/hazards", ui::hazards::ledger::mine),
        page(GET, "/units/{id}/hazards", ui::hazards::ledger::show).names(&[Unit]),
        page(POST, "/units/{id}/hazards", ui::hazards::report::submit)
            .names(&[Unit])
            .with_attachments(),
        page(
            GET,
            "/units/{id}/hazards.xlsx",
            ui::hazards::ledger_xlsx::download,
        )
        .names(&[Unit]),
        page(
            GET,
            "/units/{id}/hazards/new",
            ui::hazards::report_form::show,
        )
        .names(&[Unit]),
        page(GET, "/hazards/{id}", ui::hazards::show::show).names(&[Hazard]),
        page(POST, "/hazards/{id}/steps", ui::hazards::step::submit)
            .names(&[Hazard])
            .with_attachments(),
        // Inspections, checklists, places and equipment.
        page(GET, "/units/{id}/inspections", ui::inspections::list::show).names(&[Unit]),
        page(
            POST,
            "/units/{id}/inspections",
            ui::inspections::create::submit,
        )
        .names(&[Unit])
        .with_attachments(),
        page(
            GET,
            "/units/{id}/inspections/new",
            ui::inspections::form::show,
        )
        .names(&[Unit]),
        page(GET, "/inspections/{id}", ui::inspections::show::show).names(&[Inspection]),
        page(GET, "/units/{id}/checklists", ui::checklists::show::show).names(&[Unit]),
        page(
            POST,
            "/units/{id}/checklists",
            ui::checklists::publish::submit,
        )
        .names(&[Unit])
        .multipart(),
        page(GET, "/units/{id}/places", ui::places::show::show).names(&[Unit]),
        page(POST, "/units/{id}/places", ui::places::place_add::submit).names(&[Unit]),
        page(
            POST,
            "/units/{id}/equipment",
            ui::places::equipment_add::submit,
        )
        .names(&[Unit]),
        page(POST, "/equipment/{id}/check", ui::places::check::submit).names(&[Equipment]),
        // Monthly reports.
        page(GET, "/reports", ui::reports::list::mine),
        page(GET, "/units/{id}/reports", ui::reports::list::show).names(&[Unit]),
        page(POST, "/units/{id}/reports", ui::reports::prepare::submit).names(&[Unit]),
        page(GET, "/reports/{id}", ui::reports::show::show).names(&[Report]),
        page(POST, "/reports/{id}/confirm", ui::reports::confirm::submit).names(&[Report]),
        // Administration and the account.
        page(GET, "/admin/users", ui::admin::users::show),
        page(
            POST,
            "/admin/users/{id}/reset",
            ui::admin::user_reset::submit,
        )
        .names(&[User]),
        page(
            POST,
            "/admin/users/{id}/disable",
            ui::admin::user_disable::disable,
        )
        .names(&[User]),
        page(
            POST,
            "/admin/users/{id}/enable",
            ui::admin::user_disable::enable,
        )
        .names(&[User]),
        page(GET, "/admin/audit", ui::admin::audit::show),
        page(GET, "/account", ui::account::show::show),
        page(GET, "/account/password", ui::account::password::show),
        page(POST, "/account/password", ui::account::password::submit),
        page(POST, "/account/language", ui::language::for_user),
        page(POST, "/account/reminders", ui::account::reminders::submit),
        page(
            POST,
            "/notifications/read",
            ui::account::notifications_read::submit,
        ),
        page(
            POST,
            "/account/tokens/{id}/revoke",
            ui::account::token_revoke::submit,
        )
        .names(&[Token]),
        // The JSON API.
        api(GET, "/api/openapi.json", api::openapi::document),
        api(POST, "/api/v1/auth/login", api::auth::login),
        api(GET, "/api/v1/auth/tokens", api::auth::tokens),
        api(DELETE, "/api/v1/auth/tokens/{id}", api::auth::revoke).names(&[Token]),
        api(GET, "/api/v1/me", api::me::show),
        api(GET, "/api/v1/me/work", api::me_work::list),
        api(GET, "/api/v1/org/units", api::org::units),
        api(GET, "/api/v1/org/units/{id}", api::org::unit).names(&[Unit]),
        api(
            POST,
            "/api/v1/org/units/{id}/children",
            api::org::create_child,
        )
        .names(&[Unit]),
        api(GET, "/api/v1/org/units/{id}/people", api::org::people).names(&[Unit]),
        api(
            POST,
            "/api/v1/org/units/{id}/people",
            api::org::create_person,
        )
        .names(&[Unit]),
        api(POST, "/api/v1/people/{id}/roles", api::org::assign_role).names(&[Person]),
        api(GET, "/api/v1/users", api::users::list),
        api(GET, "/api/v1/audit", api::audit::list),
        api(GET, "/api/v1/units/{id}/hazards", api::hazards::list).names(&[Unit]),
        api(POST, "/api/v1/units/{id}/hazards", api::hazards::report).names(&[Unit]),
        api(GET, "/api/v1/hazards/{id}", api::hazards::show).names(&[Hazard]),
        api(POST, "/api/v1/hazards/{id}/steps", api::hazards::step).names(&[Hazard]),
        api(GET, "/api/v1/checklists", api::inspections::checklists),
        api(
            GET,
            "/api/v1/units/{id}/inspections",
            api::inspections::list,
        )
        .names(&[Unit]),
        api(
            POST,
            "/api/v1/units/{id}/inspections",
            api::inspections::record,
        )
        .names(&[Unit]),
        api(GET, "/api/v1/units/{id}/places", api::inspections::places).names(&[Unit]),
        api(GET, "/api/v1/units/{id}/reports", api::reports::submissions).names(&[Unit]),
        api(POST, "/api/v1/units/{id}/reports", api::reports::prepare).names(&[Unit]),
        api(POST, "/api/v1/reports/{id}/confirm", api::reports::confirm).names(&[Report]),
    ]
}

/// The table without its handlers, for the tests and the error layer.
pub fn route_infos() -> Vec<RouteInfo> {
    routes().into_iter().map(|r| r.info).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parameter_names_what_it_is() {
        for route in route_infos() {
            assert_eq!(
                route.param_names().len(),
                route.params.len(),
                "{} {}: say what each parameter names with .names(&[…])",
                route.method,
                route.path
            );
        }
    }

    #[test]
    fn no_route_is_listed_twice() {
        let routes = route_infos();
        for (i, a) in routes.iter().enumerate() {
            assert!(
                !routes[i + 1..]
                    .iter()
                    .any(|b| a.path == b.path && a.method == b.method),
                "{} {} is listed twice",
                a.method,
                a.path
            );
        }
    }

    #[test]
    fn api_routes_live_under_api_and_pages_do_not() {
        for route in route_infos() {
            assert_eq!(
                route.kind == Kind::Api,
                route.path.starts_with("/api/"),
                "{} {}",
                route.method,
                route.path
            );
        }
    }
}
