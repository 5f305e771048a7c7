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

/// The staff pages do not depend on the database either: SQLite only.
mod the_staff_pages_are_accessible_and_fit_a_phone {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_staff_pages_are_accessible_and_fit_a_phone(crate::helpers::Backend::Sqlite).await
    }
}

/// A sysadmin who edits for a department: the dashboard, the dataset form (empty and with
/// field errors), the user list and the new-user form pass axe at desktop and phone widths.
async fn the_staff_pages_are_accessible_and_fit_a_phone(backend: Backend) {
    use crate::browser::Viewport;
    let app = spawn_app(backend).await;
    app.create_user("quantri", true).await;
    app.organization("so-tai-chinh").await;
    app.member("so-tai-chinh", "quantri", "editor").await;
    app.admin(
        "package_create",
        crate::helpers::dataset("bang-gia-dat", "so-tai-chinh"),
    )
    .await
    .ok();
    let browser = Browser::open(&app, "/user/login").await;
    browser.type_into("#field-login", "quantri").await;
    browser
        .type_into("#field-password", "mật-khẩu-đủ-dài")
        .await;
    browser.submit("form[action='/user/login']").await;
    for (name, path) in [
        ("dashboard", "/dashboard/datasets"),
        ("dataset-new", "/dataset/new"),
        ("dataset-edit", "/dataset/edit/bang-gia-dat"),
        ("users", "/user"),
        ("user-new", "/user/new"),
    ] {
        browser.resize(Viewport::DESKTOP).await;
        browser.goto(path).await;
        assert!(
            !browser.current_path().await.starts_with("/user/login"),
            "{path} asked for a login again"
        );
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
