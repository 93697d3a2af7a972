//! Compression of what is text — HTML, CSS, JavaScript, JSON (problem+json too) and SVG —
//! with gzip or Brotli as the browser accepts; photos, videos, spreadsheets and other files
//! that are compressed already pass through untouched.

use axum::http::{HeaderMap, header};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Whether a response's content type is text worth compressing.
fn is_text(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence == "image/svg+xml"
        || essence == "application/javascript"
        || essence == "application/json"
        || essence.ends_with("+json")
}

/// The layer: text above a few hundred bytes, at the default level of each algorithm.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let text = |_: axum::http::StatusCode,
                _: axum::http::Version,
                headers: &HeaderMap,
                _: &axum::http::Extensions| is_text(headers);
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(SizeAbove::new(256).and(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn typed(content_type: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers
    }

    #[test]
    fn text_is_compressed_and_files_are_not() {
        for text in [
            "text/html; charset=utf-8",
            "text/css; charset=utf-8",
            "application/json",
            "application/problem+json",
            "image/svg+xml",
        ] {
            assert!(is_text(&typed(text)), "{text}");
        }
        for file in [
            "image/jpeg",
            "video/mp4",
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ] {
            assert!(!is_text(&typed(file)), "{file}");
        }
        assert!(!is_text(&HeaderMap::new()));
    }
}
