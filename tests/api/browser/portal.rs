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
