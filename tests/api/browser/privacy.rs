//! The privacy gate in a real Chromium: the edit form's "publish" of a draft whose CSV holds
//! CCCD and phone numbers lands on the review page, which passes axe (no serious or critical
//! violation) at desktop and phone widths; ticking the checklist publishes.

use serde_json::json;

use crate::browser::{Browser, Viewport};
use crate::helpers::{dataset, spawn_app, Backend};
use crate::privacy::{upload, PEOPLE};

/// The page does not depend on the database: SQLite only.
mod an_editor_confirms_the_privacy_checklist_in_a_browser {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::an_editor_confirms_the_privacy_checklist_in_a_browser(
            crate::helpers::Backend::Sqlite,
        )
        .await
    }
}

async fn an_editor_confirms_the_privacy_checklist_in_a_browser(backend: Backend) {
    let app = spawn_app(backend).await;
    let lan = app.create_user("lan", false).await;
    app.organization("so-y-te").await;
    app.member("so-y-te", "lan", "editor").await;
    let mut dict = dataset("can-bo-y-te", "so-y-te");
    dict["resources"] = json!([]);
    dict["state"] = json!("draft");
    app.post("package_create", Some(&lan), dict).await.ok();
    upload(&app, &lan, "can-bo-y-te", "can-bo.csv", PEOPLE.into())
        .await
        .ok();

    let browser = Browser::open(&app, "/user/login").await;
    browser.type_into("#field-login", "lan").await;
    browser
        .type_into("#field-password", "mật-khẩu-đủ-dài")
        .await;
    browser.submit("form[action='/user/login']").await;
    browser.goto("/dataset/edit/can-bo-y-te").await;
    browser.follow("button[name=save][value=publish]").await;
    assert_eq!(browser.current_path().await, "/dataset/can-bo-y-te/privacy");
    let table = browser.text(".privacy-findings").await;
    assert!(table.contains("Số căn cước công dân"), "{table}");
    assert!(table.contains("0720******34"), "{table}");
    browser.screenshot_full_page("privacy-review").await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");

    // An unticked box: the message is shown next to it, and the page still passes axe.
    browser
        .type_into(
            "#q-purpose",
            "Danh sách công khai theo Luật Khám bệnh, chữa bệnh",
        )
        .await;
    browser.click("#q-minimised").await;
    browser
        .submit("form[action='/dataset/can-bo-y-te/privacy']")
        .await;
    assert!(browser
        .text("#q-linkage-error")
        .await
        .contains("Cần xác nhận"));
    browser.resize(Viewport::PHONE).await;
    browser
        .screenshot_full_page("privacy-review-phone-error")
        .await;
    let violations = browser.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");
    assert!(
        !browser.horizontal_overflow().await,
        "{:?}",
        browser.overflowing_elements().await
    );

    for id in ["#q-linkage", "#q-sensitive", "#q-accountable"] {
        browser.click(id).await;
    }
    browser
        .submit("form[action='/dataset/can-bo-y-te/privacy']")
        .await;
    assert_eq!(browser.current_path().await, "/dataset/can-bo-y-te");
    let stored = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(stored["state"], "active");
}
