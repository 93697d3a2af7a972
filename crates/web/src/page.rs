//! Page furniture shared by every screen: the signed-in chrome (navigation by role, the
//! language switcher, the CSRF token) and rendering a template into a response.

use crate::i18n::{Lang, Tr};
use app::auth::Caller;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use domain::role::Permission;

/// One navigation link.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// One entry of the language switcher.
pub struct LangChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub current: bool,
}

/// What the layout shows around every signed-in page.
pub struct Chrome {
    pub t: Tr,
    pub user_name: String,
    pub username: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub langs: Vec<LangChoice>,
    pub flash: Option<&'static str>,
}

impl Chrome {
    /// The chrome for `caller`, with `active` the section being shown.
    pub fn new(caller: &Caller, t: Tr, active: &str) -> Self {
        let scope = &caller.scope;
        let mut nav = vec![("/", "nav.home", "home")];
        if scope.can_somewhere(Permission::RecordActivity) {
            nav.push(("/calendar", "nav.calendar", "calendar"));
        }
        if scope.roles().any(|r| r.supervises()) {
            nav.push(("/matrix", "nav.matrix", "matrix"));
        }
        if scope.can_somewhere(Permission::RecordActivity) || scope.roles().any(|r| r.supervises())
        {
            nav.push(("/hazards", "nav.hazards", "hazards"));
            nav.push(("/reports", "nav.reports", "reports"));
        }
        nav.push(("/policy", "nav.policy", "policy"));
        nav.push(("/org", "nav.org", "org"));
        if scope.can_somewhere(Permission::ManageUsers) {
            nav.push(("/admin/users", "nav.users", "users"));
        }
        if scope.can_somewhere(Permission::ViewAudit) {
            nav.push(("/admin/audit", "nav.audit", "audit"));
        }
        nav.push(("/account", "nav.account", "account"));
        Chrome {
            t,
            user_name: caller.user.person_name.clone(),
            username: caller.user.username.clone(),
            csrf: caller.csrf_token.clone().unwrap_or_default(),
            nav: nav
                .into_iter()
                .map(|(href, key, id)| NavItem {
                    href,
                    label: t.s(key),
                    active: id == active,
                })
                .collect(),
            langs: Lang::ALL
                .iter()
                .map(|l| LangChoice {
                    code: l.code(),
                    name: l.native_name(),
                    current: *l == t.lang,
                })
                .collect(),
            flash: None,
        }
    }

    /// Shows a confirmation (`?done=<key>` after a redirect) when the key is a known one.
    pub fn with_flash(mut self, done: Option<&str>) -> Self {
        self.flash = done.map(|key| format!("flash.{key}")).and_then(|key| {
            let text = self.t.s(&key);
            (text != key).then_some(text)
        });
        self
    }
}

/// The error page (shown signed in or not).
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub t: Tr,
    pub status: u16,
    pub message: &'a str,
    /// The request id, to quote when asking for help (empty outside a request).
    pub reference: String,
}

/// Renders a template; a template that fails to render is a bug, logged and shown as 500.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal error",
            )
                .into_response()
        }
    }
}
