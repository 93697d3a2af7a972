//! What the router and the extractors refuse on their own — an unknown address, a method
//! the address does not take, an id that is not an id, a query or body that cannot be read,
//! a body over the route's limit, the wrong content type — answered like every other error:
//! the styled error page in the caller's language for pages, a problem document under
//! `/api`, each with the request id. Answers of the handlers (`UiError`, `ApiError`) are
//! already one of those and pass through untouched, as do the operator's endpoints.

use crate::context;
use crate::error::{error_page, problem};
use crate::i18n::Tr;
use crate::routes::table::{BodyLimit, Kind, Object, RouteInfo};
use crate::session::request_lang;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Set only by the fallback: the answer did not come from any route of the table.
pub const UNROUTED_HEADER: &str = "x-unrouted";

/// Largest framework refusal read back (they are one line of text).
const MAX_REFUSAL_TEXT: usize = 16 * 1024;

/// The fallback: no route matched the path.
pub async fn unrouted() -> Response {
    (StatusCode::NOT_FOUND, [(UNROUTED_HEADER, "1")]).into_response()
}

/// What the layer knows of the routes: the table and the body limits in force.
pub struct Routes {
    pub table: Vec<RouteInfo>,
    pub max_upload: usize,
    pub max_attachments: usize,
}

impl Routes {
    fn find(&self, path: &str, method: &Method) -> Option<&RouteInfo> {
        let same_path = || self.table.iter().filter(|r| r.path == path);
        same_path()
            .find(|r| r.method == *method)
            .or_else(|| same_path().next())
    }

    /// The methods the table has for `path` ("GET, POST").
    fn methods_of(&self, path: &str) -> String {
        self.table
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn limit(&self, body: BodyLimit) -> usize {
        match body {
            BodyLimit::Upload => self.max_upload,
            BodyLimit::Attachments => self.max_attachments,
        }
    }
}

/// Why the router or an extractor refused a request.
enum Refusal {
    NoRoute {
        path: String,
    },
    Method {
        method: Method,
        allowed: String,
    },
    BadId {
        name: &'static str,
        value: String,
        object: Object,
    },
    TooLarge {
        limit: usize,
    },
    MediaType,
    Unreadable {
        detail: String,
    },
    Other,
}

/// A 4xx answer with no page or problem document: axum's own text (or nothing at all).
fn is_bare_refusal(response: &Response) -> bool {
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    response.status().is_client_error()
        && (content_type.is_empty() || content_type.starts_with("text/plain"))
}

/// The first parameter of `route` that names a record but is not an id.
fn bad_id(route: &RouteInfo, path: &str) -> Option<Refusal> {
    let template: &'static str = route.path;
    template
        .split('/')
        .zip(path.split('/'))
        .find_map(|(segment, actual)| {
            let name = segment.strip_prefix('{')?.strip_suffix('}')?;
            let object = route.object_of(name)?;
            (object.is_record() && uuid::Uuid::parse_str(actual).is_err()).then(|| Refusal::BadId {
                name,
                value: percent_decoded(actual),
                object,
            })
        })
}

fn percent_decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn refusal(
    status: StatusCode,
    headers: &HeaderMap,
    text: String,
    route: Option<&RouteInfo>,
    routes: &Routes,
    asked: (&Method, &str),
) -> Refusal {
    let (method, path) = asked;
    match status {
        StatusCode::NOT_FOUND if headers.contains_key(UNROUTED_HEADER) => Refusal::NoRoute {
            path: path.to_owned(),
        },
        StatusCode::METHOD_NOT_ALLOWED => Refusal::Method {
            method: method.clone(),
            allowed: route.map_or_else(String::new, |r| routes.methods_of(r.path)),
        },
        StatusCode::PAYLOAD_TOO_LARGE => Refusal::TooLarge {
            limit: routes.limit(route.map_or(BodyLimit::Upload, |r| r.body)),
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Refusal::MediaType,
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => route
            .and_then(|r| bad_id(r, path))
            .unwrap_or(Refusal::Unreadable { detail: text }),
        _ => Refusal::Other,
    }
}

/// A size for a person: "10 MiB", "512 KiB", "100 bytes".
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

impl Refusal {
    /// The message a person reads, in the language of `t`.
    fn message(&self, status: StatusCode, kind: Kind, t: Tr) -> String {
        match self {
            Refusal::NoRoute { path } => t.f("router.no_route", &[("path", path)]),
            Refusal::Method { method, allowed } => t.f(
                "router.method",
                &[("method", method.as_str()), ("allowed", allowed)],
            ),
            Refusal::BadId { value, object, .. } => t.f(
                "router.bad_id",
                &[("value", value), ("object", t.s(object.name_key()))],
            ),
            Refusal::TooLarge { limit } => t.f("router.too_large", &[("limit", &size(*limit))]),
            Refusal::MediaType if kind == Kind::Api => t.s("router.media_type_json").to_owned(),
            Refusal::MediaType => t.s("router.media_type_form").to_owned(),
            Refusal::Unreadable { detail } if kind == Kind::Api => {
                t.f("router.unreadable_api", &[("detail", detail)])
            }
            Refusal::Unreadable { detail } => t.f("router.unreadable", &[("detail", detail)]),
            Refusal::Other => match status {
                StatusCode::UNAUTHORIZED => t.s("problem.unauthorized").to_owned(),
                StatusCode::FORBIDDEN => t.s("error.forbidden").to_owned(),
                StatusCode::NOT_FOUND => t.s("error.not_found").to_owned(),
                other => t.f("router.refused", &[("status", other.as_str())]),
            },
        }
    }
}

/// Restyles the bare refusals of the router and the extractors.
pub async fn layer(State(routes): State<Arc<Routes>>, request: Request, next: Next) -> Response {
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let header_lang = request_lang(request.headers(), None);
    let response = next.run(request).await;
    if !is_bare_refusal(&response) {
        return response;
    }
    let route = matched.as_deref().and_then(|m| routes.find(m, &method));
    let kind = route.map_or(
        if path.starts_with("/api/") {
            Kind::Api
        } else {
            Kind::Page
        },
        |r| r.kind,
    );
    if kind == Kind::Ops {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_REFUSAL_TEXT)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let status = parts.status;
    let refusal = refusal(
        status,
        &parts.headers,
        text,
        route,
        &routes,
        (&method, &path),
    );
    let t = Tr::new(context::noted_lang().unwrap_or(header_lang));
    let message = refusal.message(status, kind, t);
    let styled = match kind {
        Kind::Api => {
            let mut body = serde_json::json!({
                "type": "about:blank",
                "title": status.canonical_reason().unwrap_or("Error"),
                "status": status.as_u16(),
                "detail": message,
            });
            if let Refusal::BadId { name, .. } = &refusal {
                body["errors"] = serde_json::json!([{ "field": name, "detail": message }]);
            }
            problem(status, body)
        }
        _ => error_page(status, &message, t),
    };
    // The router's headers stay (Allow on a 405, the security headers, the fallback's
    // marker that the guard tests look for); the body and its type are the styled ones.
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let (styled_parts, styled_body) = styled.into_parts();
    parts.headers.extend(styled_parts.headers);
    Response::from_parts(parts, styled_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_person_says_them() {
        assert_eq!(size(10 * 1024 * 1024), "10 MiB");
        assert_eq!(size(1536 * 1024), "1.5 MiB");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(100), "100 bytes");
    }

    #[test]
    fn a_path_segment_is_shown_as_typed() {
        assert_eq!(percent_decoded("abc%20d%E5%A0%B1"), "abc d報");
        assert_eq!(percent_decoded("100%"), "100%");
    }
}
