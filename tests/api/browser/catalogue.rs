//! The open-data catalogue's public pages in a real Chromium (issue 12): an anonymous visitor
//! reads the catalogue, filters it, opens an entry, a version and the figures at a later date
//! (where the chart shows an overdue entry). Every page passes axe (no serious or critical
//! violation) at desktop and 360 px widths without scrolling sideways; screenshots are taken.

use crate::browser::{Browser, Viewport};
use crate::catalogue_common::{day, province};
use crate::catalogue_pages::issued_catalogue;
use crate::helpers::Backend;

crate::both_backends!(an_anonymous_visitor_reads_the_catalogue_its_versions_and_figures);

/// Screenshots, axe and the 360 px width of the open page.
async fn check_page(browser: &Browser, name: &str) {
    browser.resize(Viewport::DESKTOP).await;
    browser
        .screenshot_full_page(&format!("{name}-desktop"))
        .await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{name}: {violations:#?}");
    browser.resize(Viewport::PHONE).await;
    browser.screenshot_full_page(&format!("{name}-phone")).await;
    assert!(
        !browser.horizontal_overflow().await,
        "{name} scrolls sideways at 360 px: {:?}",
        browser.overflowing_elements().await
    );
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{name} at 360 px: {violations:#?}");
    browser.resize(Viewport::DESKTOP).await;
}

async fn an_anonymous_visitor_reads_the_catalogue_its_versions_and_figures(backend: Backend) {
    let p = province(backend).await;
    let (clinics, _beds, _draft) = issued_catalogue(&p).await;

    let browser = Browser::open(&p.app, "/").await;
    browser.follow(".site-nav a[href='/catalogue']").await;
    assert_eq!(browser.current_path().await, "/catalogue");
    assert_eq!(browser.find_all(".cat-entry").await.len(), 2);
    check_page(&browser, "catalogue").await;

    // Filtering by status through the form.
    browser
        .js("document.getElementById('cat-status').value = 'published';")
        .await;
    browser.submit("form.cat-filters").await;
    let titles = browser.texts(".cat-entry h2").await;
    assert_eq!(titles, ["Số giường bệnh theo bệnh viện"]);

    browser.goto(&format!("/catalogue/entry/{clinics}")).await;
    assert!(browser.text("h1").await.contains("cơ sở khám bệnh"));
    check_page(&browser, "catalogue-entry").await;

    browser.goto("/catalogue/version/1").await;
    assert!(browser.text(".cat-added").await.contains("Số giường bệnh"));
    check_page(&browser, "catalogue-version").await;

    browser.goto("/catalogue/versions").await;
    check_page(&browser, "catalogue-versions").await;

    browser.goto("/catalogue/figures").await;
    browser
        .js(&format!(
            "document.getElementById('as_of').value = '{}';",
            day(60)
        ))
        .await;
    browser.submit("form.cat-as-of").await;
    assert!(browser.current_url().await.as_str().contains("as_of="));
    assert_eq!(
        browser
            .find_all("svg[role=img] rect.part.overdue")
            .await
            .len(),
        2
    );
    check_page(&browser, "catalogue-figures").await;
}
