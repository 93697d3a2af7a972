//! Static assets, embedded in the binary so a school on an intranet works offline. Each is
//! served under a name carrying a hash of its bytes (`app.3f2a9c1b.css`), so browsers may
//! keep it for a year: a changed file is a new name, and pages link the name of the day.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const FILES: [Asset; 3] = [
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../static/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/app.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../static/favicon.svg"),
    },
];

/// Each file's name with the first 10 hex digits of its SHA-256 before the extension.
static HASHED: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|asset| {
            let digest = hex::encode(Sha256::digest(asset.body));
            let (stem, ext) = asset.name.rsplit_once('.').unwrap_or((asset.name, ""));
            format!("{stem}.{}.{ext}", &digest[..10])
        })
        .collect()
});

/// The address of an embedded file under its hashed name, e.g. `/static/app.3f2a9c1b0d.css`;
/// templates link assets only through this.
pub fn href(name: &str) -> String {
    FILES
        .iter()
        .zip(HASHED.iter())
        .find(|(asset, _)| asset.name == name)
        .map_or_else(
            || format!("/static/{name}"),
            |(_, hashed)| format!("/static/{hashed}"),
        )
}

/// `GET /static/{file}`: a hashed name is cached for a year and never revalidated; the
/// plain name (an old bookmark, a cached page) still answers but is revalidated each time.
pub async fn serve(Path(file): Path<String>) -> Response {
    let found = FILES.iter().zip(HASHED.iter()).find_map(|(asset, hashed)| {
        if *hashed == file {
            Some((asset, "public, max-age=31536000, immutable"))
        } else if asset.name == file {
            Some((asset, "no-cache"))
        } else {
            None
        }
    });
    match found {
        Some((asset, cache)) => {
            let mut response = asset.body.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /favicon.ico`: browsers that ask for it by habit get the SVG icon.
pub async fn favicon() -> Redirect {
    Redirect::permanent(&href("favicon.svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_hashed_name_that_changes_with_its_bytes() {
        let css = href("app.css");
        assert!(
            css.starts_with("/static/app.") && css.ends_with(".css") && css.len() == 26,
            "{css}"
        );
        assert_ne!(href("app.js"), href("app.css"));
        assert!(href("favicon.svg").ends_with(".svg"));
    }
}
