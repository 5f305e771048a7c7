//! `sitemap.xml` (every public dataset, organisation and theme, for search engines) and
//! `robots.txt` (pages open, the API left to programs; filtered searches say `noindex`).

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;

use super::blocking;
use crate::catalog::{actions, AppContext, Dict};
use crate::http::auth::Caller;

/// Most URLs in one sitemap file (the protocol's limit).
const MAX_URLS: usize = 50_000;

/// `GET /sitemap.xml`.
pub async fn sitemap(
    req: actix_web::HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let site = ctx.site_url.clone();
    let names = blocking(&ctx, caller, |ctx, _| {
        // Anonymous on purpose: a sitemap lists what everyone may read.
        let anonymous = crate::catalog::Actor::anonymous();
        let mut limit = Dict::new();
        limit.insert("limit".into(), json!(MAX_URLS));
        let datasets: Vec<String> = actions::call_as(ctx, &anonymous, "package_list", &limit)?;
        let organizations: Vec<String> =
            actions::call_as(ctx, &anonymous, "organization_list", &Dict::new())?;
        let groups: Vec<String> = actions::call_as(ctx, &anonymous, "group_list", &Dict::new())?;
        Ok((datasets, organizations, groups))
    })
    .await;
    let (datasets, organizations, groups) = match names {
        Ok(names) => names,
        Err(error) => return super::reply::error_page(&req, &error),
    };
    let mut xml = String::with_capacity(100 * (datasets.len() + 50));
    xml.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str("\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut add = |path: &str| {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&format!("{site}{path}")));
        xml.push_str("</loc></url>\n");
    };
    for path in [
        "/",
        "/dataset",
        "/organization",
        "/group",
        "/about",
        "/terms",
        "/api",
    ] {
        add(path);
    }
    for name in &organizations {
        add(&format!("/organization/{name}"));
    }
    for name in &groups {
        add(&format!("/group/{name}"));
    }
    for name in datasets
        .iter()
        .take(MAX_URLS - 7 - organizations.len() - groups.len())
    {
        add(&format!("/dataset/{name}"));
    }
    xml.push_str("</urlset>\n");
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/xml; charset=utf-8"))
        .body(xml)
}

/// XML text escaping (names are `[a-z0-9_-]`, the site URL is configuration).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `GET /robots.txt`.
pub async fn robots(ctx: web::Data<AppContext>) -> HttpResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
        ctx.site_url
    );
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body(body)
}
