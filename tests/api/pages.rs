//! The citizen pages over HTTP: home, search with filters, organisation and theme pages,
//! the language switch, error pages, sitemap, robots and static files. What a browser is
//! sent, asserted on the HTML; the browser tests (axe, screenshots) are in `browser/`.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    the_home_page_shows_counts_themes_newest_and_most_downloaded,
    facets_narrow_and_widen_the_results,
    the_language_switch_keeps_the_page_and_is_remembered,
    hostile_query_strings_are_escaped_and_never_a_server_error,
    organisation_and_theme_pages_list_their_datasets,
    sitemap_lists_public_datasets_only,
);

/// A page: status, `Content-Type`, body.
async fn page(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// Two organisations, three public datasets and a private one.
async fn catalogue(app: &TestApp) {
    app.organization("so-tai-chinh").await;
    app.organization("so-y-te").await;
    app.admin("package_create", dataset("bang-gia-dat", "so-tai-chinh"))
        .await
        .ok();
    let mut clinics = dataset("danh-sach-tram-y-te", "so-y-te");
    clinics["title"] = json!("Danh sách trạm y tế xã, phường");
    clinics["title_en"] = json!("Commune health stations");
    clinics["notes"] = json!("Địa chỉ và số điện thoại các trạm y tế.");
    clinics["groups"] = json!([{"name": "y-te"}]);
    clinics["tags"] = json!([{"name": "y tế"}]);
    clinics["license_id"] = json!("odc-by");
    app.admin("package_create", clinics).await.ok();
    let mut budget = dataset("du-toan-ngan-sach", "so-tai-chinh");
    budget["title"] = json!("Dự toán ngân sách tỉnh năm 2026");
    budget["notes"] = json!("Dự toán thu, chi ngân sách địa phương.");
    app.admin("package_create", budget).await.ok();
    let mut hidden = dataset("bi-mat", "so-tai-chinh");
    hidden["private"] = json!(true);
    hidden["title"] = json!("Bộ dữ liệu nội bộ");
    app.admin("package_create", hidden).await.ok();
}

async fn the_home_page_shows_counts_themes_newest_and_most_downloaded(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let form = Form::new()
        .text("package_id", "bang-gia-dat")
        .text("name", "Bảng giá đất (CSV)")
        .part(
            "upload",
            Part::bytes(b"xa,gia\nA,1\n".to_vec()).file_name("gia.csv"),
        );
    let resource = app
        .client
        .post(format!("{}/api/3/action/resource_create", app.address))
        .header("Authorization", &app.admin_token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let resource: serde_json::Value = resource.json().await.unwrap();
    let url = resource["result"]["url"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(app.client.get(&url).send().await.unwrap().status(), 200);
    }
    // Counted downloads are written every few seconds; write them now.
    let ctx = app.catalog.clone();
    tokio::task::spawn_blocking(move || dataportal::catalog::downloads::flush(&ctx))
        .await
        .unwrap()
        .unwrap();

    let (status, kind, html) = page(&app, "/").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(html.contains(r#"<html lang="vi">"#));
    assert!(
        html.contains("<strong>3</strong> bộ dữ liệu"),
        "public datasets only: {html}"
    );
    assert!(
        html.contains("Y tế") && html.contains("Tài chính"),
        "themes"
    );
    assert!(html.contains("/dataset/danh-sach-tram-y-te"), "newest");
    assert!(!html.contains("bi-mat"), "a private dataset is not shown");
    let popular = html.split(r#"<h2 id="popular-heading">"#).nth(1).unwrap();
    assert!(popular.contains("/dataset/bang-gia-dat"), "{popular}");
    assert!(popular.contains("3 lượt tải"), "{popular}");
}

async fn facets_narrow_and_widen_the_results(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let (_, _, all) = page(&app, "/dataset").await;
    assert!(all.contains("3 bộ dữ liệu"), "{all}");
    assert!(all.contains("?organization=so-y-te"), "a filter to add");

    let (status, _, narrowed) = page(&app, "/dataset?organization=so-tai-chinh").await;
    assert_eq!(status, 200);
    assert!(narrowed.contains("2 bộ dữ liệu"), "{narrowed}");
    assert!(!narrowed.contains("/dataset/danh-sach-tram-y-te\""));
    assert!(narrowed.contains("Đang lọc"), "the active filter is shown");
    // Removing it widens the search again: its link is the plain search.
    assert!(
        narrowed.contains(r#"href="/dataset" rel="nofollow""#),
        "{narrowed}"
    );

    let (_, _, both) = page(
        &app,
        "/dataset?q=gia+dat&organization=so-tai-chinh&groups=tai-chinh",
    )
    .await;
    assert!(both.contains("/dataset/bang-gia-dat"), "{both}");
    assert!(both.contains("<b>"), "matched words are highlighted");
    let (_, _, none) = page(&app, "/dataset?q=tram&organization=so-tai-chinh").await;
    assert!(none.contains("Không tìm thấy bộ dữ liệu phù hợp"), "{none}");
    assert!(none.contains("bỏ bớt bộ lọc"));
    // Two values of one filter: both must hold, each has its own chip.
    let (_, _, two) = page(
        &app,
        "/dataset?tags=gi%C3%A1+%C4%91%E1%BA%A5t&tags=%C4%91%E1%BA%A5t+%C4%91ai",
    )
    .await;
    assert!(
        two.contains("Từ khóa: giá đất") && two.contains("Từ khóa: đất đai"),
        "{two}"
    );
    // A word found nowhere no longer empties the result: the search is retried with half
    // the words (issue 13).
    let (_, _, relaxed) = page(&app, "/dataset?q=trạm+xyzkhông").await;
    assert!(
        relaxed.contains("/dataset/danh-sach-tram-y-te"),
        "{relaxed}"
    );
}

async fn the_language_switch_keeps_the_page_and_is_remembered(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let get = |path: &str| client.get(format!("{}{path}", app.address)).send();
    let vi = get("/dataset?q=tram").await.unwrap().text().await.unwrap();
    assert!(vi.contains(r#"<html lang="vi">"#));
    assert!(
        vi.contains(r#"href="/dataset?q=tram&#38;lang=en""#),
        "the switch keeps the search: {vi}"
    );
    let en = get("/dataset?q=tram&lang=en")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains(r#"<html lang="en">"#));
    assert!(
        en.contains("Commune health stations"),
        "English titles on English pages"
    );
    assert!(en.contains("Search datasets"));
    // Remembered: the next page is English without asking.
    let next = get("/organization").await.unwrap().text().await.unwrap();
    assert!(next.contains(r#"<html lang="en">"#), "{next}");
    // A browser in English still gets Vietnamese first (no cookie, no ?lang).
    let fresh = app
        .client
        .get(format!("{}/", app.address))
        .header("Accept-Language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fresh.contains(r#"<html lang="vi">"#));
}

async fn hostile_query_strings_are_escaped_and_never_a_server_error(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let (status, _, html) = page(&app, "/dataset?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{html}"
    );
    for path in [
        "/dataset?page=abc",
        "/dataset?page=99999999999999999999",
        "/dataset?page=6000",
        "/dataset?sort=bogus+sideways",
        "/dataset?tags=%22&groups=%5C&organization=%00",
        "/dataset?q=((((((((((((((((((((((((((((((((((((a",
        "/dataset?lang=xx&res_format=%E2%80%AE",
        "/organization/%3Cb%3E",
        "/group/khong-co",
        "/static/portal.0000.css",
        "/dataset?q=%F0%9F%98%80&place=T%C3%A2y%20Ninh",
    ] {
        let (status, kind, html) = page(&app, path).await;
        assert!(status < 500, "{path}: {status} {html}");
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        assert!(
            !html.contains("<b>\"") && !html.contains("<script>alert"),
            "{path}"
        );
    }
    let (status, _, html) = page(&app, "/organization/khong-co").await;
    assert_eq!(status, 404);
    assert!(html.contains("Không tìm thấy trang"), "{html}");
    let (status, _, _) = page(&app, "/dataset?sort=bogus").await;
    assert_eq!(
        status, 409,
        "a sort that is not one is named as the problem"
    );
}

async fn organisation_and_theme_pages_list_their_datasets(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let (_, _, list) = page(&app, "/organization").await;
    assert!(list.contains("/organization/so-y-te") && list.contains("/organization/so-tai-chinh"));
    let (status, _, org) = page(&app, "/organization/so-tai-chinh").await;
    assert_eq!(status, 200);
    assert!(org.contains("<h1>Sở so-tai-chinh</h1>"), "{org}");
    assert!(org.contains("2 bộ dữ liệu"), "{org}");
    assert!(!org.contains("bi-mat"));
    let (_, _, themes) = page(&app, "/group").await;
    assert!(themes.contains("/group/y-te") && themes.contains("/group/nong-nghiep"));
    let (status, _, theme) = page(&app, "/group/y-te?lang=en").await;
    assert_eq!(status, 200);
    assert!(theme.contains("<h1>Health</h1>"), "{theme}");
    assert!(theme.contains("/dataset/danh-sach-tram-y-te"));
}

async fn sitemap_lists_public_datasets_only(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let (status, kind, index) = page(&app, "/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/xml"));
    assert!(index.contains("<sitemapindex"), "{index}");
    let (_, _, pages) = page(&app, "/sitemap-pages.xml").await;
    assert!(pages.contains("/organization/so-y-te</loc>"), "{pages}");
    let (status, _, xml) = page(&app, "/sitemap-datasets-1.xml").await;
    assert_eq!(status, 200);
    assert!(index.contains(&format!(
        "<loc>{}/sitemap-datasets-1.xml</loc>",
        app.address
    )));
    assert!(
        xml.contains(&format!("<loc>{}/dataset/bang-gia-dat</loc>", app.address)),
        "{xml}"
    );
    assert!(!xml.contains("bi-mat"));
    assert_eq!(page(&app, "/sitemap-datasets-2.xml").await.0, 404);
    assert_eq!(page(&app, "/sitemap-datasets-x.xml").await.0, 404);
    let head = app
        .client
        .head(format!("{}/dataset", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200, "link checkers ask with HEAD");
    let (_, _, robots) = page(&app, "/robots.txt").await;
    assert!(robots.contains("Sitemap: ") && robots.contains("Disallow: /api/"));
    let (_, _, home) = page(&app, "/").await;
    let css = home
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(
        css.starts_with("/static/portal.") && css.ends_with(".css"),
        "{css}"
    );
    let reply = app
        .client
        .get(format!("{}{css}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert!(reply.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
}
