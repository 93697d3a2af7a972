//! Choosing the language: a visitor's choice lives in a cookie, a user's on the account.

use crate::AppState;
use crate::csrf::CsrfForm;
use crate::i18n::Lang;
use crate::routes::ui::login::safe_next;
use crate::session::LANG_COOKIE;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn with_cookie(mut response: Response, lang: Lang) -> Response {
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /lang/{code}?next=…` on the login page (changes only a preference cookie).
pub async fn for_visitor(Path(code): Path<String>, Query(query): Query<NextQuery>) -> Response {
    let back = Redirect::to(&format!(
        "/login?{}",
        serde_urlencoded::to_string([("next", safe_next(query.next.as_deref()))])
            .unwrap_or_default()
    ));
    match Lang::parse(&code) {
        Some(lang) => with_cookie(back.into_response(), lang),
        None => back.into_response(),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
}

/// `POST /account/language`: stored on the account, back to the page it came from.
pub async fn for_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    submitted: CsrfForm<LanguageForm>,
) -> Response {
    let CsrfForm { user, form } = submitted;
    let Some(lang) = Lang::parse(&form.lang) else {
        return user
            .fail(app::Error::Conflict("error.choose_one"))
            .into_response();
    };
    if let Err(e) = app::users::set_own_locale(
        &state.app,
        &user.caller.scope,
        &user.caller.user,
        lang.code(),
    )
    .await
    {
        return user.fail(e).into_response();
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        })
        .unwrap_or_else(|| "/".to_owned());
    with_cookie(Redirect::to(&safe_next(Some(&back))).into_response(), lang)
}
