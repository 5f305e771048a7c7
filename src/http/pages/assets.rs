//! The pages' static files (CSS, the small enhancing JS, icons), compiled into the binary and
//! served under names carrying a hash of their content, so browsers cache them for a year and
//! a new release is fetched at once. The CSS of each page family is its own file under
//! `web/static/css/`, joined into one stylesheet (one request per page).
//!
//! A hand-kept list rather than an embedding crate: a dozen files, and the hashed names and
//! the joining are ours either way.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// The stylesheets, joined in this order.
const STYLESHEETS: &[&str] = &[
    include_str!("../../../web/static/css/base.css"),
    include_str!("../../../web/static/css/search.css"),
    include_str!("../../../web/static/css/dataset.css"),
    include_str!("../../../web/static/css/preview.css"),
    include_str!("../../../web/static/css/account.css"),
    include_str!("../../../web/static/css/admin.css"),
    include_str!("../../../web/static/css/publish.css"),
    include_str!("../../../web/static/css/privacy.css"),
    include_str!("../../../web/static/css/staff_datasets.css"),
    include_str!("../../../web/static/css/catalogue.css"),
    include_str!("../../../web/static/css/print.css"),
    include_str!("../../../web/static/css/catalogue_staff.css"),
];

/// Other files: logical name, content, media type.
const FILES: &[(&str, &[u8], &str)] = &[
    (
        "portal.js",
        include_bytes!("../../../web/static/js/portal.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "icons.svg",
        include_bytes!("../../../web/static/icons/icons.svg"),
        "image/svg+xml",
    ),
    (
        "favicon.svg",
        include_bytes!("../../../web/static/icons/favicon.svg"),
        "image/svg+xml",
    ),
];

/// One static file as served.
pub struct Asset {
    /// The URL path, with the content hash in the name.
    pub url: String,
    bytes: Vec<u8>,
    media_type: &'static str,
}

/// Every static file, by logical name (`portal.css`, `portal.js`, ...).
pub struct Assets {
    by_name: HashMap<&'static str, Asset>,
    by_url: HashMap<String, &'static str>,
}

impl Assets {
    fn build() -> Assets {
        let css: String = STYLESHEETS.concat();
        let mut files: Vec<(&'static str, Vec<u8>, &'static str)> =
            vec![("portal.css", css.into_bytes(), "text/css; charset=utf-8")];
        files.extend(FILES.iter().map(|(n, b, t)| (*n, b.to_vec(), *t)));
        let mut by_name = HashMap::new();
        let mut by_url = HashMap::new();
        for (name, bytes, media_type) in files {
            let hash = hex::encode(&Sha256::digest(&bytes)[..6]);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let url = format!("/static/{stem}.{hash}.{ext}");
            by_url.insert(url.clone(), name);
            by_name.insert(
                name,
                Asset {
                    url,
                    bytes,
                    media_type,
                },
            );
        }
        Assets { by_name, by_url }
    }

    /// The hashed URL of a file (`portal.css` -> `/static/portal.1a2b3c4d5e6f.css`).
    pub fn url(&self, name: &str) -> &str {
        self.by_name.get(name).map_or("", |a| a.url.as_str())
    }
}

static ASSETS: LazyLock<Assets> = LazyLock::new(Assets::build);

/// The static files.
pub fn assets() -> &'static Assets {
    &ASSETS
}

/// `GET /static/{file}`: a hashed name is cached for a year; an old hash answers 404.
pub async fn static_file(req: HttpRequest) -> HttpResponse {
    let assets = assets();
    let Some(asset) = assets
        .by_url
        .get(req.path())
        .and_then(|name| assets.by_name.get(name))
    else {
        return super::reply::error_page(
            &req,
            &crate::error::AppError::new(crate::error::ErrorCode::PageNotFound)
                .arg("path", req.path()),
        );
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, asset.media_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(web::Bytes::from_static(&asset.bytes))
}
