//! The HTML API documentation (`/api/docs`), seen in a browser.

use crate::both_backends;
use crate::browser::{Browser, Viewport};
use crate::helpers::{spawn_app, Backend};

both_backends!(
    the_api_docs_page_shows_its_title_and_every_action,
    the_api_docs_page_has_no_serious_accessibility_violations,
    the_api_docs_page_fits_a_phone_and_stays_accessible_there,
);

async fn the_api_docs_page_shows_its_title_and_every_action(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::open(&app, "/api/docs").await;

    assert!(
        browser.title().await.contains("API"),
        "{}",
        browser.title().await
    );
    assert!(browser.text("h1").await.contains("API"));
    let actions = browser.texts("h2 code").await;
    for action in ["package_search", "package_show", "resource_create"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} missing: {actions:?}"
        );
    }
    browser.screenshot("desktop").await;
    browser.screenshot_full_page("desktop-full").await;
}

async fn the_api_docs_page_has_no_serious_accessibility_violations(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::open(&app, "/api/docs").await;

    let violations = browser.axe_violations().await;
    assert!(
        violations.is_empty(),
        "serious or critical accessibility violations:\n{}",
        violations
            .iter()
            .map(|v| format!("  {v}\n"))
            .collect::<String>()
    );
}

async fn the_api_docs_page_fits_a_phone_and_stays_accessible_there(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = Browser::open_at(&app, "/api/docs", Viewport::PHONE).await;

    browser.screenshot("phone").await;
    // The widest parts are the parameter tables further down.
    browser
        .js("document.querySelector('#package_search').scrollIntoView()")
        .await;
    browser.screenshot("phone-parameters").await;
    assert!(
        !browser.horizontal_overflow().await,
        "the page scrolls sideways at 360 px; too wide: {:?}",
        browser.overflowing_elements().await
    );
    // What fits a phone may break accessibility there (a table scrolling in its own region
    // must be reachable by keyboard), so axe looks again at this width.
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "at 360 px: {violations:#?}");
}
