//! The login page: a generic message on any failure (no user enumeration), throttled,
//! a new session id at every login, CSRF-protected by a double-submitted cookie.

use crate::AppState;
use crate::error::UiError;
use crate::i18n::{Lang, Tr};
use crate::page::{LangChoice, render};
use crate::session::{Visitor, cookie, session_cookie};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const LOGIN_CSRF_COOKIE: &str = "xiaoan_login_csrf";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    langs: Vec<LangChoice>,
    csrf: String,
    next: String,
    next_encoded: String,
    username: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    /// Set after a password change, which ends every session of the account.
    #[serde(default)]
    changed: bool,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after login (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The one message a login page may carry.
enum Flash {
    None,
    Notice(String),
    Error(String),
}

fn page(
    secure: bool,
    t: Tr,
    csrf: String,
    next: String,
    username: String,
    flash: Flash,
) -> Response {
    let (error, notice) = match flash {
        Flash::None => (None, None),
        Flash::Notice(text) => (None, Some(text)),
        Flash::Error(text) => (Some(text), None),
    };
    let next_encoded = serde_urlencoded::to_string([("", next.as_str())])
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_owned();
    let langs = Lang::ALL
        .iter()
        .map(|l| LangChoice {
            code: l.code(),
            name: l.native_name(),
            current: *l == t.lang,
        })
        .collect();
    let mut response = render(&LoginPage {
        t,
        langs,
        csrf: csrf.clone(),
        next,
        next_encoded,
        username,
        error,
        notice,
    });
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{secure}");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /login`.
pub async fn show(visitor: Visitor, Query(query): Query<NextQuery>) -> Response {
    let secure = visitor.secure_cookies;
    let flash = if query.changed {
        Flash::Notice(visitor.t.s("login.password_changed").to_owned())
    } else {
        Flash::None
    };
    page(
        secure,
        visitor.t,
        app_token(),
        safe_next(query.next.as_deref()),
        String::new(),
        flash,
    )
}

fn app_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let t = visitor.t;
    let secure = visitor.secure_cookies;
    let next = safe_next(Some(&form.next));
    let csrf_ok =
        cookie(&headers, LOGIN_CSRF_COOKIE).is_some_and(|c| !c.is_empty() && c == form.csrf);
    if !csrf_ok {
        return page(
            secure,
            t,
            app_token(),
            next,
            form.username,
            Flash::Error(t.s("login.expired").to_owned()),
        );
    }
    let user = match app::auth::check_credentials(
        &state.app,
        &form.username,
        &form.password,
        &visitor.addr,
    )
    .await
    {
        Ok(user) => user,
        Err(app::Error::BadCredentials) => {
            return page(
                secure,
                t,
                app_token(),
                next,
                form.username,
                Flash::Error(t.s("login.failed").to_owned()),
            );
        }
        Err(e @ (app::Error::Throttled(_) | app::Error::Busy(_))) => {
            // The form comes back with what was typed, and the status says why.
            let (status, seconds) = match e {
                app::Error::Throttled(s) => (axum::http::StatusCode::TOO_MANY_REQUESTS, s),
                app::Error::Busy(s) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, s),
                _ => unreachable!("matched above"),
            };
            let message = crate::error::message(&e, t);
            let mut response = page(
                secure,
                t,
                app_token(),
                next,
                form.username,
                Flash::Error(message),
            );
            *response.status_mut() = status;
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
            return response;
        }
        Err(e) => return UiError::new(e, t).into_response(),
    };
    let session_id =
        match app::auth::start_session(&state.app, &user, &visitor.addr, t.code()).await {
            Ok(id) => id,
            Err(e) => return UiError::new(e, t).into_response(),
        };
    let target = if user.must_change_password {
        "/account/password".to_owned()
    } else {
        next
    };
    let mut response = Redirect::to(&target).into_response();
    let max_age = state.config.session.absolute.whole_seconds();
    if let Ok(value) = HeaderValue::from_str(&session_cookie(
        &session_id,
        state.config.secure_cookies,
        max_age,
    )) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
