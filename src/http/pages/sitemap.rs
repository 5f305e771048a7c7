//! `sitemap.xml` and `robots.txt`, for search engines. `/sitemap.xml` is a sitemap index:
//! `/sitemap-pages.xml` (the fixed pages, every organisation and theme, the open-data
//! catalogue's issued versions) and
//! `/sitemap-datasets-{n}.xml`, the public datasets 50,000 at a time (the protocol's limit per
//! file: 100,000 datasets do not fit in one). `robots.txt` leaves the pages open and the API
//! to programs; filtered searches say `noindex` themselves.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::listing::SearchResults;
use super::{blocking, reply};
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::error::{AppError, ErrorCode};
use crate::http::auth::Caller;

/// Most URLs in one sitemap file (the protocol's limit).
const URLS_PER_FILE: u64 = 50_000;

/// The fixed pages.
const FIXED: &[&str] = &[
    "/",
    "/dataset",
    "/organization",
    "/group",
    "/about",
    "/terms",
    "/api",
    "/catalogue",
    "/catalogue/versions",
    "/catalogue/figures",
];

/// `GET /sitemap.xml`: the index of the sitemap files.
pub async fn sitemap_index(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let count = blocking(&ctx, caller, |ctx, _| {
        // Anonymous on purpose: a sitemap lists what everyone may read.
        let mut dict = Dict::new();
        dict.insert("rows".into(), json!(0));
        let found: SearchResults =
            actions::call_as(ctx, &Actor::anonymous(), "package_search", &dict)?;
        Ok(found.count)
    })
    .await;
    let count = match count {
        Ok(count) => count,
        Err(error) => return reply::error_page(&req, &error),
    };
    let site = &ctx.site_url;
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    ));
    xml.push_str(&format!(
        "  <sitemap><loc>{}</loc></sitemap>\n",
        escape(&format!("{site}/sitemap-pages.xml"))
    ));
    for n in 1..=count.div_ceil(URLS_PER_FILE).max(1) {
        let loc = escape(&format!("{site}/sitemap-datasets-{n}.xml"));
        xml.push_str(&format!("  <sitemap><loc>{loc}</loc></sitemap>\n"));
    }
    xml.push_str("</sitemapindex>\n");
    xml_reply(xml)
}

/// `GET /sitemap-pages.xml`: the fixed pages, organisations and themes.
pub async fn sitemap_pages(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let names = blocking(&ctx, caller, |ctx, _| {
        let anonymous = Actor::anonymous();
        let organizations: Vec<String> =
            actions::call_as(ctx, &anonymous, "organization_list", &Dict::new())?;
        let groups: Vec<String> = actions::call_as(ctx, &anonymous, "group_list", &Dict::new())?;
        // The catalogue's issued versions: a province issues a few a year.
        let versions: Vec<serde_json::Value> =
            actions::call_as(ctx, &anonymous, "catalogue_version_list", &Dict::new())?;
        let versions = versions.iter().filter_map(|v| v["version"].as_i64());
        Ok((organizations, groups, versions.collect::<Vec<i64>>()))
    })
    .await;
    let (organizations, groups, versions) = match names {
        Ok(names) => names,
        Err(error) => return reply::error_page(&req, &error),
    };
    let mut paths: Vec<String> = FIXED.iter().map(|p| (*p).to_owned()).collect();
    paths.extend(organizations.iter().map(|n| format!("/organization/{n}")));
    paths.extend(groups.iter().map(|n| format!("/group/{n}")));
    paths.extend(versions.iter().map(|n| format!("/catalogue/version/{n}")));
    xml_reply(url_set(&ctx.site_url, &paths))
}

/// `GET /sitemap-datasets-{n}.xml`: the `n`-th 50,000 public datasets, by name.
pub async fn sitemap_datasets(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
    file: web::Path<String>,
) -> HttpResponse {
    let number = file
        .trim_end_matches(".xml")
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=10_000).contains(n));
    let Some(number) = number else {
        let error = AppError::new(ErrorCode::PageNotFound).arg("path", req.path());
        return reply::error_page(&req, &error);
    };
    let names = blocking(&ctx, caller, move |ctx, _| {
        let mut dict = Dict::new();
        dict.insert("limit".into(), json!(URLS_PER_FILE));
        dict.insert("offset".into(), json!((number - 1) * URLS_PER_FILE));
        actions::call_as::<Vec<String>>(ctx, &Actor::anonymous(), "package_list", &dict)
    })
    .await;
    match names {
        Ok(names) if names.is_empty() && number > 1 => {
            let error = AppError::new(ErrorCode::PageNotFound).arg("path", req.path());
            reply::error_page(&req, &error)
        }
        Ok(names) => {
            let paths: Vec<String> = names.iter().map(|n| format!("/dataset/{n}")).collect();
            xml_reply(url_set(&ctx.site_url, &paths))
        }
        Err(error) => reply::error_page(&req, &error),
    }
}

/// A `<urlset>` of the paths under the site.
fn url_set(site: &str, paths: &[String]) -> String {
    let mut xml = String::with_capacity(80 * (paths.len() + 4));
    xml.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str("\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for path in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&format!("{site}{path}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_reply(xml: String) -> HttpResponse {
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
