//! An organisation admin manages the department's members in a real Chromium: adds a colleague
//! by e-mail, who then logs in and edits the department's dataset; the sysadmin's organisation
//! form. Every page passes axe (no serious or critical violation) at desktop width and fits a
//! 360 px phone without sideways scrolling.

use crate::both_backends;
use crate::browser::{Browser, Viewport};
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(an_org_admin_adds_a_colleague_by_email_who_then_edits_a_dataset);

/// Checks the current page: axe at desktop and phone widths, no sideways scrolling at 360 px.
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

async fn log_in(browser: &Browser, name: &str) {
    browser.goto("/user/login").await;
    browser.type_into("#field-login", name).await;
    browser
        .type_into("#field-password", "mật-khẩu-đủ-dài")
        .await;
    browser.submit("form[action='/user/login']").await;
}

async fn an_org_admin_adds_a_colleague_by_email_who_then_edits_a_dataset(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.create_user("truongphong", false).await;
    app.member("so-tai-chinh", "truongphong", "admin").await;
    app.create_user("lan", false).await;
    app.admin("package_create", dataset("bang-gia-dat", "so-tai-chinh"))
        .await
        .ok();

    let browser = Browser::open(&app, "/").await;
    log_in(&browser, "truongphong").await;
    browser.goto("/organization/so-tai-chinh").await;
    browser
        .follow("a[href='/organization/members/so-tai-chinh']")
        .await;
    check_page(&browser, "members").await;

    browser
        .type_into("#field-username", "khong-co@tayninh.gov.vn")
        .await;
    browser.submit("form.member-add").await;
    assert!(browser
        .text("#member-error")
        .await
        .contains("Không tìm thấy"));
    check_page(&browser, "members-error").await;

    browser
        .type_into("#field-username", "lan@tayninh.gov.vn")
        .await;
    browser.submit("form.member-add").await;
    assert!(browser.text(".notice").await.contains("Đã lưu"));
    assert!(browser.text(".member-table").await.contains("lan"));

    browser.follow("a.remove-link[href$='user=lan']").await;
    check_page(&browser, "member-remove").await;
    browser.goto("/organization/edit/so-tai-chinh").await;
    check_page(&browser, "org-edit").await;

    // Lan, now an editor, opens and saves the department's dataset form.
    browser.submit("form.logout-form").await;
    log_in(&browser, "lan").await;
    browser.goto("/dataset/edit/bang-gia-dat").await;
    assert_eq!(browser.current_path().await, "/dataset/edit/bang-gia-dat");
    browser
        .type_into("#f-title", "Bảng giá đất (Lan sửa)")
        .await;
    browser.submit("form.publish-form").await;
    let shown = app
        .get("package_show", None, &[("id", "bang-gia-dat")])
        .await
        .ok();
    assert_eq!(shown["title"], "Bảng giá đất (Lan sửa)");

    // The sysadmin's new-organisation form and the delete confirmation.
    browser.submit("form.logout-form").await;
    log_in(&browser, "admin").await;
    browser.goto("/organization/new").await;
    browser.submit("form[action='/organization/new']").await;
    assert!(browser.exists("#error-name").await);
    check_page(&browser, "org-new-errors").await;
    browser.goto("/organization/delete/so-tai-chinh").await;
    check_page(&browser, "org-delete").await;
}
