//! The harness's own steps (type, submit, click, resize) on a page that exists today, so the
//! page tests can rely on them. SQLite only: nothing here depends on the database.

use serde_json::json;

use crate::browser::{Browser, Viewport};
use crate::helpers::{spawn_app, Backend};

/// A search form as the portal's pages will have one: with a button, and without (Enter);
/// and a button that changes the page in place.
const FORMS: &str = r#"
    document.body.insertAdjacentHTML('afterbegin', `
        <button id="in-place" type="button" onclick="this.textContent = 'Đã bấm'">Bấm</button>
        <form id="with-button" action="/api/3/action/package_search">
            <input name="q"><button>Tìm</button></form>
        <form id="without-button" action="/api/3/action/package_search">
            <input name="q"></form>`);
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_can_press_a_button_search_through_a_form_and_follow_a_link() {
    let app = spawn_app(Backend::Sqlite).await;
    let browser = Browser::open(&app, "/api/docs").await;

    browser.js(FORMS).await;
    browser.click("#in-place").await;
    assert_eq!(browser.text("#in-place").await, "Đã bấm");
    browser.type_into("#with-button input", "dân số").await;
    browser.submit("#with-button").await;
    assert_eq!(
        browser.current_path().await,
        "/api/3/action/package_search?q=d%C3%A2n+s%E1%BB%91"
    );
    assert!(browser.text("body").await.contains(r#""success":true"#));

    browser.goto("/api/docs").await;
    browser.js(FORMS).await;
    browser.type_into("#without-button input", "đất").await;
    browser.submit("#without-button").await;
    assert_eq!(
        browser.current_url().await.query(),
        Some("q=%C4%91%E1%BA%A5t")
    );

    browser.goto("/api/docs").await;
    assert!(browser.exists("h2#package_search").await);
    assert!(!browser.exists("h2#no_such_action").await);
    assert!(browser.find_all("h2").await.len() > 10);
    browser.follow("a[href$='/api/openapi.json']").await;
    assert_eq!(browser.current_path().await, "/api/openapi.json");

    browser.resize(Viewport::PHONE).await;
    assert_eq!(browser.js("return window.innerWidth").await, json!(360));
    let later = browser
        .js_async("const done = arguments[0]; setTimeout(() => done(42), 10)")
        .await;
    assert_eq!(later, json!(42));
}
