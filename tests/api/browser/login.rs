//! Logging in through the form in a real Chromium: the login page passes axe, the form logs
//! the user in (the header then shows them), and the logout button logs them out.

use crate::browser::Browser;
use crate::helpers::{spawn_app, Backend};

/// The form and the cookie do not depend on the database: SQLite only.
mod a_staff_member_logs_in_and_out_through_the_form {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_staff_member_logs_in_and_out_through_the_form(crate::helpers::Backend::Sqlite)
            .await
    }
}

async fn a_staff_member_logs_in_and_out_through_the_form(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    let browser = Browser::open(&app, "/").await;
    browser.follow("a.login-link").await;
    assert!(browser.current_path().await.starts_with("/user/login"));
    browser.screenshot("login").await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");

    browser.type_into("#field-login", "lan").await;
    browser.type_into("#field-password", "sai").await;
    browser.submit("form[action='/user/login']").await;
    assert!(browser.text("#login-error").await.contains("không đúng"));
    browser.screenshot("login-error").await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");

    browser
        .type_into("#field-password", "mật-khẩu-đủ-dài")
        .await;
    browser.submit("form[action='/user/login']").await;
    assert_eq!(browser.current_path().await, "/user/me");
    assert!(browser.text(".account-link").await.contains("lan"));
    browser.screenshot_full_page("account").await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");

    browser.submit("form.logout-form").await;
    assert_eq!(browser.current_path().await, "/");
    assert!(browser.exists("a.login-link").await);
}
