//! Web pages as a person sees them: a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`), driven over WebDriver, on the running portal.
//!
//! A page test opens a `Browser` on the app, acts like a user (find, click, type, submit),
//! asserts what is shown, takes screenshots for a person to look at, and checks accessibility
//! (`axe_violations`) and the 360 px phone width (`horizontal_overflow`):
//!
//! ```ignore
//! let app = spawn_app(backend).await;
//! let browser = Browser::open(&app, "/api/docs").await;
//! assert!(browser.title().await.contains("API"));
//! browser.screenshot("desktop").await;
//! let violations = browser.axe_violations().await;
//! assert!(violations.is_empty(), "{violations:#?}");
//! ```
//!
//! One Chromium per test (measured: 1.5-2 s to start and open a page, 0.2 s to close): check
//! several things in one session rather than opening a browser per assertion.

mod axe;
mod driver;
mod harness;

pub use harness::{Browser, Viewport};

mod api_docs;
mod catalogue;
mod harness_steps;
mod login;
mod organizations;
mod portal;
mod privacy;
mod publishing;

// The catalogue's lifecycle through the staff pages (issue 12).
mod catalogue_lifecycle;
