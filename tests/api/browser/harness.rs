//! `Browser`: one headless Chromium per test, driven over WebDriver, looking at a running portal.
//!
//! Every step panics with what it was doing (selector, page) instead of returning a `Result`:
//! a browser test reads as the steps a user takes, and its failure says which step failed.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use super::driver::{Chromedriver, CHROMIUM};
use crate::helpers::TestApp;

/// The size of the page area (CSS pixels) the browser shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
}

impl Viewport {
    /// A laptop screen.
    pub const DESKTOP: Viewport = Viewport {
        width: 1280,
        height: 900,
    };
    /// A small phone: the narrowest screen the portal must serve without sideways scrolling.
    pub const PHONE: Viewport = Viewport {
        width: 360,
        height: 740,
    };
}

/// A headless Chromium on a portal; closed, with its chromedriver, when dropped.
pub struct Browser {
    client: Client,
    base: String,
    test_name: String,
    // Dropped after the client, in this order: chromedriver quits Chromium, then its profile
    // folder goes.
    _driver: Chromedriver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Opens `path` (e.g. `/api/docs`) of the portal at desktop size.
    pub async fn open(app: &TestApp, path: &str) -> Browser {
        Browser::open_at(app, path, Viewport::DESKTOP).await
    }

    /// Opens `path` of the portal at the given viewport size.
    pub async fn open_at(app: &TestApp, path: &str, viewport: Viewport) -> Browser {
        let test_name = current_test_name();
        let driver = Chromedriver::start().await;
        let profile = tempfile::tempdir().expect("temporary Chromium profile folder");
        let args = [
            "--headless=new".to_owned(),
            // Tests run as root in CI, where Chromium's sandbox refuses to start.
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            // /dev/shm is small in containers; Chromium crashes on big pages when it fills.
            "--disable-dev-shm-usage".to_owned(),
            // Phones draw scrollbars over the page; without this a 360 px window would give the
            // page only 345 px, and screenshots would show desktop scrollbars.
            "--hide-scrollbars".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", viewport.width, viewport.height),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| panic!("Chromium session did not start: {e}"));
        let browser = Browser {
            client,
            base: app.address.clone(),
            test_name,
            _driver: driver,
            _profile: profile,
        };
        browser.resize(viewport).await;
        browser.goto(path).await;
        browser
    }

    /// Navigates to `path` of the portal and waits for the page to load.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Makes the page area exactly `viewport` (the window is grown by its own borders, if any).
    pub async fn resize(&self, viewport: Viewport) {
        let wanted = (viewport.width, viewport.height);
        let (mut width, mut height) = wanted;
        let mut inner = (0, 0);
        for _ in 0..3 {
            self.client
                .set_window_size(width, height)
                .await
                .unwrap_or_else(|e| panic!("cannot resize the window to {viewport:?}: {e}"));
            // The page hears of a resize a moment after WebDriver answers (measured: a tall
            // window sometimes still reported its old height on the first read).
            for _ in 0..20 {
                inner = self.inner_size().await;
                if inner == wanted {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            width += wanted.0.saturating_sub(inner.0);
            height += wanted.1.saturating_sub(inner.1);
        }
        panic!("the page area is {inner:?}, not {wanted:?}");
    }

    async fn inner_size(&self) -> (u32, u32) {
        let inner = self
            .js("return [window.innerWidth, window.innerHeight]")
            .await;
        (as_u32(&inner[0]), as_u32(&inner[1]))
    }

    /// The address shown in the address bar.
    pub async fn current_url(&self) -> url::Url {
        self.client.current_url().await.expect("current URL")
    }

    /// The current address without the portal's origin: `/dataset?q=x`.
    pub async fn current_path(&self) -> String {
        let url = self.current_url().await;
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The document's `<title>`.
    pub async fn title(&self) -> String {
        self.client.title().await.expect("page title")
    }

    /// The first element matching the CSS selector; panics naming the selector and page if none.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element `{css}` on {}: {e}", self.current_url().await),
        }
    }

    /// Every element matching the CSS selector, in document order (maybe none).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"))
    }

    /// Whether any element matches the CSS selector.
    pub async fn exists(&self, css: &str) -> bool {
        !self.find_all(css).await.is_empty()
    }

    /// The visible text of the first element matching the selector (as a user reads it).
    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        element
            .text()
            .await
            .unwrap_or_else(|e| panic!("cannot read the text of `{css}`: {e}"))
    }

    /// The visible texts of every element matching the selector.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.find_all(css).await {
            texts.push(element.text().await.expect("element text"));
        }
        texts
    }

    /// Clicks the first element matching the selector, for what changes the page in place (a
    /// menu, a disclosure); use `follow` for what loads another page.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click `{css}`: {e}"));
    }

    /// Clicks a link (or button) that loads another page, and waits until that page has
    /// loaded; panics if no new page comes within 10 s.
    pub async fn follow(&self, css: &str) {
        let element = self.find(css).await;
        self.mark_document().await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click `{css}`: {e}"));
        self.wait_for_new_document(&format!("clicking `{css}`"))
            .await;
    }

    /// Empties the field matching the selector and types `text` into it, key by key.
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("cannot clear `{css}`: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into `{css}`: {e}"));
    }

    /// Submits the form matching the selector as a user would: by its submit button when it
    /// has one, else as Enter in a field would (`requestSubmit`, which validates first).
    /// Waits until the page it loads has loaded; panics if none comes within 10 s.
    pub async fn submit(&self, form_css: &str) {
        let form = self.find(form_css).await;
        self.mark_document().await;
        let buttons = form
            .find_all(Locator::Css(
                "button[type=submit], input[type=submit], button:not([type])",
            ))
            .await
            .unwrap_or_else(|e| panic!("cannot look into form `{form_css}`: {e}"));
        match buttons.first() {
            Some(button) => button
                .click()
                .await
                .unwrap_or_else(|e| panic!("cannot click the submit button of `{form_css}`: {e}")),
            None => {
                let form = serde_json::to_value(&form).expect("element reference");
                self.client
                    .execute("arguments[0].requestSubmit()", vec![form])
                    .await
                    .unwrap_or_else(|e| panic!("cannot submit `{form_css}`: {e}"));
            }
        }
        self.wait_for_new_document(&format!("submitting `{form_css}`"))
            .await;
    }

    /// Runs JavaScript in the page (a function body: `return` gives the value back).
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs asynchronous JavaScript: the script calls `arguments[arguments.length - 1](value)`
    /// when done.
    pub async fn js_async(&self, script: &str) -> Value {
        self.client
            .execute_async(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Saves what the viewport shows as `<target>/screenshots/<test>-<name>.png`, for a person
    /// to look at; returns the file.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        self.save_screenshot(name, &png)
    }

    /// Like `screenshot`, of the whole page: the window is made as tall as the page (at most
    /// 8,000 px, where the picture stops being readable anyway) and restored afterwards.
    pub async fn screenshot_full_page(&self, name: &str) -> PathBuf {
        let size = self
            .js("return [window.innerWidth, window.innerHeight, document.documentElement.scrollHeight]")
            .await;
        let (width, height, page) = (as_u32(&size[0]), as_u32(&size[1]), as_u32(&size[2]));
        self.resize(Viewport {
            width,
            height: page.clamp(height, 8000),
        })
        .await;
        let png = self.client.screenshot().await.expect("screenshot");
        self.resize(Viewport { width, height }).await;
        self.save_screenshot(name, &png)
    }

    /// Whether the page scrolls sideways at the current width (the 360 px check).
    pub async fn horizontal_overflow(&self) -> bool {
        self.js("const root = document.documentElement; return root.scrollWidth > root.clientWidth")
            .await
            == json!(true)
    }

    /// The outermost elements reaching past the right edge of the viewport (`tag#id.class`
    /// and width, at most 10), to say in a failed overflow check which ones to fix.
    pub async fn overflowing_elements(&self) -> Vec<String> {
        let found = self
            .js(r#"
                const edge = document.documentElement.clientWidth;
                const wide = e => e.getBoundingClientRect().right > edge + 0.5;
                return [...document.body.querySelectorAll('*')]
                    .filter(e => wide(e) && !(e.parentElement && wide(e.parentElement)))
                    .slice(0, 10)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + [...e.classList].map(c => '.' + c).join('')
                        + ' (' + Math.round(e.getBoundingClientRect().width) + ' px)');
            "#)
            .await;
        serde_json::from_value(found).expect("a list of strings")
    }

    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    /// Marks the current document, so that `wait_for_new_document` can tell it from the next.
    async fn mark_document(&self) {
        self.js("window.__harnessOldDocument = true").await;
    }

    /// Waits until a document without the mark has finished loading. WebDriver's click returns
    /// before a form submission has even started navigating (seen: one run in three still
    /// read the old page), so "the page is complete" alone would often be the old page.
    async fn wait_for_new_document(&self, action: &str) {
        let probe = "return window.__harnessOldDocument === true ? 'old' : document.readyState";
        for _ in 0..400 {
            // While the old page unloads a script may fail: that is "not yet", not an error.
            let state = self.client.execute(probe, Vec::new()).await.ok();
            if state == Some(json!("complete")) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "{action} loaded no new page within 10 s (still on {})",
            self.current_url().await
        );
    }

    fn save_screenshot(&self, name: &str, png: &[u8]) -> PathBuf {
        let folder = target_dir().join("screenshots");
        std::fs::create_dir_all(&folder).expect("create the screenshots folder");
        let file = folder.join(format!("{}-{name}.png", self.test_name));
        std::fs::write(&file, png).unwrap_or_else(|e| panic!("cannot write {file:?}: {e}"));
        file
    }
}

/// `CARGO_TARGET_DIR` when set (relative to the package, as cargo reads it), else `target`.
fn target_dir() -> PathBuf {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => package.join(dir),
        None => package.join("target"),
    }
}

/// The running test's name for file names: `browser::api_docs::x::sqlite` -> `api_docs-x-sqlite`.
/// libtest names each test's thread after it; nextest runs one test per process.
fn current_test_name() -> String {
    let thread = std::thread::current();
    let name = match thread.name() {
        Some(name) if name != "main" => name.to_owned(),
        _ => std::env::var("NEXTEST_TEST_NAME").unwrap_or_else(|_| "browser".to_owned()),
    };
    name.trim_start_matches("browser::").replace("::", "-")
}

fn as_u32(value: &Value) -> u32 {
    value
        .as_f64()
        .map(|v| v.round() as u32)
        .unwrap_or_else(|| panic!("expected a number, got {value}"))
}
