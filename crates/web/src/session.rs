//! Who is asking: the session cookie (pages) or a bearer token (API) becomes a `Caller`
//! whose `Scope` every data access takes; the language comes from the account, a cookie
//! or `Accept-Language`.

use crate::AppState;
use crate::error::{ApiError, UiError};
use crate::i18n::{Lang, Tr};
use app::auth::{self, Caller};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "xiaoan_session";
pub const LANG_COOKIE: &str = "xiaoan_lang";

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The language for a request: the account's choice, the language cookie, Accept-Language.
pub fn request_lang(headers: &HeaderMap, account_locale: Option<&str>) -> Lang {
    account_locale
        .and_then(Lang::parse)
        .or_else(|| {
            cookie(headers, LANG_COOKIE)
                .as_deref()
                .and_then(Lang::parse)
        })
        .unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Lang::ZhTw, Lang::from_accept_language)
        })
}

/// The client's address, for login throttling and the audit log: the socket's, unless the
/// socket is a trusted proxy — then the nearest address in X-Forwarded-For that is not one
/// of the trusted proxies (addresses further left can be forged by the client).
pub fn client_addr(parts: &Parts, trusted: &[std::net::IpAddr]) -> String {
    let Some(ConnectInfo(socket)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".to_owned();
    };
    let peer = socket.ip();
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<std::net::IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(forwarded.first())
        .unwrap_or(&peer)
        .to_string()
}

/// A signed-in person on a page.
pub struct CurrentUser {
    pub caller: Caller,
    pub t: Tr,
}

impl CurrentUser {
    pub fn fail(&self, error: impl Into<app::Error>) -> UiError {
        UiError::new(error, self.t)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let t = Tr::new(request_lang(&parts.headers, None));
        let to_login = || {
            let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let next: String = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            Redirect::to(&format!("/login?{next}")).into_response()
        };
        let Some(session_id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let caller = match auth::session_caller(&state.app, &session_id, state.config.session).await
        {
            Ok(Some(caller)) => caller,
            Ok(None) => return Err(to_login()),
            Err(e) => return Err(UiError::new(e, t).into_response()),
        };
        let path = parts.uri.path();
        if caller.user.must_change_password
            && !path.starts_with("/account/password")
            && path != "/logout"
        {
            return Err(Redirect::to("/account/password").into_response());
        }
        let t = Tr::new(request_lang(&parts.headers, caller.user.locale.as_deref()));
        crate::context::note_lang(t.lang);
        Ok(CurrentUser { caller, t })
    }
}

/// Someone on a page that needs no sign-in (the login page).
pub struct Visitor {
    pub t: Tr,
    pub addr: String,
    /// Whether cookies set for a visitor must be `Secure`.
    pub secure_cookies: bool,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Visitor {
            t: Tr::new(request_lang(&parts.headers, None)),
            addr: client_addr(parts, &state.config.trusted_proxies),
            secure_cookies: state.config.secure_cookies,
        })
    }
}

/// A program calling the API with `Authorization: Bearer <token>`.
pub struct ApiUser {
    pub caller: Caller,
    pub t: Tr,
}

impl ApiUser {
    pub fn fail(&self, error: impl Into<app::Error>) -> ApiError {
        ApiError::new(error, self.t)
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let t = Tr::new(request_lang(&parts.headers, None));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let unauthorized = || {
            let mut response = crate::error::problem(
                axum::http::StatusCode::UNAUTHORIZED,
                serde_json::json!({
                    "type": "about:blank",
                    "title": "Unauthorized",
                    "status": 401,
                    "detail": t.s("problem.unauthorized"),
                }),
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
            response
        };
        let Some(token) = token else {
            return Err(unauthorized());
        };
        match auth::token_caller(&state.app, token).await {
            Ok(Some(caller)) => {
                let t = Tr::new(request_lang(&parts.headers, caller.user.locale.as_deref()));
                crate::context::note_lang(t.lang);
                Ok(ApiUser { caller, t })
            }
            Ok(None) => Err(unauthorized()),
            Err(e) => Err(ApiError::new(e, t).into_response()),
        }
    }
}

/// A `Set-Cookie` value for the session (HttpOnly, SameSite=Lax, Secure behind TLS).
pub fn session_cookie(value: &str, secure: bool, max_age_secs: i64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}
