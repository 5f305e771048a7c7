//! The citizen pages in a real browser: accessibility (axe: no serious or critical violation),
//! a 360 px phone without page-level sideways scroll, facets clicked on and off, the language
//! switch, and screenshots of each page for a person to look at.

use serde_json::json;

use crate::both_backends;
use crate::browser::{Browser, Viewport};
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(a_visitor_narrows_and_widens_a_search_with_facets_and_switches_language);

/// Accessibility and the phone width do not depend on the database: SQLite only.
mod every_main_page_is_accessible_and_fits_a_phone {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::every_main_page_is_accessible_and_fits_a_phone(crate::helpers::Backend::Sqlite).await
    }
}

/// Two departments and a handful of datasets, one of them private.
pub async fn small_catalogue(app: &TestApp) {
    app.organization("so-tai-chinh").await;
    app.organization("so-y-te").await;
    app.admin("package_create", dataset("bang-gia-dat", "so-tai-chinh"))
        .await
        .ok();
    let mut clinics = dataset("danh-sach-tram-y-te", "so-y-te");
    clinics["title"] = json!("Danh sách trạm y tế xã, phường");
    clinics["title_en"] = json!("Commune health stations");
    clinics["groups"] = json!([{"name": "y-te"}]);
    clinics["resources"] =
        json!([{"name": "Danh sách", "format": "CSV", "url": "https://example.org/tram.csv"}]);
    app.admin("package_create", clinics).await.ok();
    let mut budget = dataset("du-toan-ngan-sach", "so-tai-chinh");
    budget["title"] = json!("Dự toán ngân sách tỉnh năm 2026");
    app.admin("package_create", budget).await.ok();
    let mut hidden = dataset("noi-bo", "so-tai-chinh");
    hidden["private"] = json!(true);
    app.admin("package_create", hidden).await.ok();
}

async fn every_main_page_is_accessible_and_fits_a_phone(backend: Backend) {
    let app = spawn_app(backend).await;
    small_catalogue(&app).await;
    let browser = Browser::open(&app, "/").await;
    for (name, path) in [
        ("home", "/"),
        ("search", "/dataset?q=gia+dat"),
        ("search-nothing", "/dataset?q=khong+co+gi+xyzw"),
        ("dataset", "/dataset/danh-sach-tram-y-te"),
        ("dataset-en", "/dataset/danh-sach-tram-y-te?lang=en"),
        ("organizations", "/organization"),
        ("organization", "/organization/so-tai-chinh"),
        ("themes", "/group"),
        ("theme", "/group/y-te"),
        ("about", "/about"),
        ("terms", "/terms"),
        ("api", "/api"),
        ("not-found", "/dataset/khong-co"),
    ] {
        browser.resize(Viewport::DESKTOP).await;
        browser.goto(path).await;
        browser
            .screenshot_full_page(&format!("{name}-desktop"))
            .await;
        let violations = browser.axe_violations().await;
        assert!(violations.is_empty(), "{path}: {violations:#?}");
        browser.resize(Viewport::PHONE).await;
        browser.screenshot_full_page(&format!("{name}-phone")).await;
        assert!(
            !browser.horizontal_overflow().await,
            "{path} scrolls sideways at 360 px: {:?}",
            browser.overflowing_elements().await
        );
        let violations = browser.axe_violations().await;
        assert!(violations.is_empty(), "{path} at 360 px: {violations:#?}");
    }
}

async fn a_visitor_narrows_and_widens_a_search_with_facets_and_switches_language(backend: Backend) {
    let app = spawn_app(backend).await;
    small_catalogue(&app).await;
    let browser = Browser::open(&app, "/").await;
    browser.type_into("#q", "gia dat").await;
    browser.submit("form.search-form").await;
    assert!(browser
        .current_path()
        .await
        .starts_with("/dataset?q=gia+dat"));
    assert!(browser.text("#results-count").await.contains("bộ dữ liệu"));

    browser.goto("/dataset").await;
    assert!(browser.text("#results-count").await.starts_with("3 "));
    browser
        .follow(r#".facet[data-facet="organization"] a[href*="organization=so-tai-chinh"]"#)
        .await;
    assert!(browser.text("#results-count").await.starts_with("2 "));
    assert_eq!(browser.find_all(".cards .card").await.len(), 2);
    browser.screenshot("narrowed").await;
    browser.follow(".active-filters a.chip").await;
    assert!(browser.text("#results-count").await.starts_with("3 "));

    browser.goto("/dataset?q=tram").await;
    browser.follow("a.lang-switch").await;
    assert_eq!(browser.current_path().await, "/dataset?q=tram&lang=en");
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        "en"
    );
    assert!(browser
        .text(".cards")
        .await
        .contains("Commune health stations"));
    // The choice is remembered on the next page.
    browser.goto("/group").await;
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        "en"
    );
    assert_eq!(browser.text("h1").await, "Data themes");
}

both_backends!(a_citizen_finds_land_prices_previews_the_table_and_downloads_the_file);

/// The land-price table as a department publishes it: Windows-1258, semicolons (Excel's CSV
/// in Vietnamese Windows), prices as numbers.
const LAND_PRICES: &str = "Tên đường;Đoạn từ;Đến;Giá đất ở (đồng/m²)\n\
    Đường 30 Tháng 4;Cách mạng Tháng Tám;Trần Hưng Đạo;25000000\n\
    Đường Nguyễn Chí Thanh;Lạc Long Quân;Huỳnh Tấn Phát;12000000\n\
    Đường Điện Biên Phủ;Trưng Nữ Vương;Cầu Quan;9500000\n";

async fn a_citizen_finds_land_prices_previews_the_table_and_downloads_the_file(backend: Backend) {
    use crate::pages_resource::{upload, windows_1258, workbook};
    let app = spawn_app(backend).await;
    small_catalogue(&app).await;
    let csv = windows_1258(LAND_PRICES);
    upload(&app, "bang-gia-dat", "bang-gia-dat.csv", csv.clone()).await;
    let xlsx = workbook(&[(
        "Giá đất",
        &[&["Phường", "Giá (đồng/m²)"], &["Tân Ninh", "18000000"]],
    )]);
    upload(&app, "bang-gia-dat", "bang-gia-dat.xlsx", xlsx).await;

    let browser = Browser::open(&app, "/").await;
    browser.type_into("#q", "gia dat").await;
    browser.submit("form.search-form").await;
    browser.screenshot("search").await;
    browser
        .follow(r#".cards a[href="/dataset/bang-gia-dat"]"#)
        .await;
    assert_eq!(
        browser.text("h1").await,
        "Bảng giá đất tỉnh Tây Ninh giai đoạn 2025–2029"
    );
    browser.screenshot_full_page("dataset").await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "dataset page: {violations:#?}");

    // The CSV's resource page: the table reads as Vietnamese, prices on the right.
    let links = browser.find_all(r#"a[href*="/resource/"]"#).await;
    let mut resource_pages = Vec::new();
    for link in links {
        let href = link.attr("href").await.unwrap().unwrap();
        if !resource_pages.contains(&href) && !href.contains("/download") {
            resource_pages.push(href);
        }
    }
    let mut saw_csv = false;
    let mut saw_xlsx = false;
    for path in resource_pages {
        browser.goto(&path).await;
        if !browser.exists("main table").await {
            continue; // a link: no preview, by design
        }
        let table = browser.text("main table").await;
        if table.contains("Đường Nguyễn Chí Thanh") {
            saw_csv = true;
            assert!(table.contains("Giá đất ở (đồng/m²)"), "{table}");
            let align = browser
                .js("return getComputedStyle(document.querySelector('main table tbody td:last-child')).textAlign")
                .await;
            assert_eq!(align, "right", "numbers are right-aligned");
            browser.screenshot_full_page("csv-preview").await;
            let violations = browser.axe_violations().await;
            assert!(violations.is_empty(), "resource page: {violations:#?}");
            browser.resize(Viewport::PHONE).await;
            assert!(
                !browser.horizontal_overflow().await,
                "{:?}",
                browser.overflowing_elements().await
            );
            browser.screenshot_full_page("csv-preview-phone").await;
            browser.resize(Viewport::DESKTOP).await;
            // Download with the page's own button: the bytes are the uploaded bytes.
            let digest = browser
                .js_async(
                    "const done = arguments[arguments.length - 1];\
                     const href = document.querySelector('a.download-button').href;\
                     fetch(href).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))\
                     .then(d => done(Array.from(new Uint8Array(d)).map(x => x.toString(16).padStart(2, '0')).join('')))\
                     .catch(e => done('error: ' + e));",
                )
                .await;
            let expected = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&csv));
            assert_eq!(digest, serde_json::Value::String(expected));
        } else if table.contains("Tân Ninh") {
            saw_xlsx = true;
            assert!(table.contains("Giá (đồng/m²)"), "{table}");
            browser.screenshot("xlsx-preview").await;
        }
    }
    assert!(saw_csv && saw_xlsx, "both files previewed");
}
