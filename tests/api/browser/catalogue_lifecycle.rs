//! The open-data catalogue's life in a real Chromium (issue 12): two departments propose
//! overlapping entries through the form; the data office sees the duplicate with its score and
//! merges it, asks for a change (first without the reason, which the page asks for next to
//! the field, in Vietnamese), the department edits and resubmits, the office approves and
//! issues version 1 with the signed decision PDF; the department links its published dataset
//! and the entry becomes published. Every page of the catalogue's staff passes axe at desktop
//! width and 360 px, without sideways scrolling.

use crate::browser::publishing::{check_page, log_in};
use crate::browser::Browser;
use crate::catalogue_common::{day, decision_pdf, province};
use crate::helpers::{dataset, Backend};

crate::both_backends!(two_departments_propose_and_the_office_merges_reviews_and_issues);

async fn log_out(browser: &Browser) {
    browser.goto("/catalogue/mine").await;
    browser.submit("form.logout-form").await;
}

/// Sets a field's value as a picker would (a date input's typed form depends on the locale).
async fn set_value(browser: &Browser, css: &str, value: &str) {
    browser
        .js(&format!(
            "document.querySelector({css:?}).value = {value:?}; return true"
        ))
        .await;
}

/// Proposes an entry through the form, submits it, and returns its id.
async fn propose(browser: &Browser, title: &str, description: &str) -> String {
    browser.goto("/catalogue/mine").await;
    browser.follow("#new-entry").await;
    browser.type_into("#f-title", title).await;
    browser.type_into("#f-description", description).await;
    browser.click("input[name=theme_y-te]").await;
    browser.type_into("#f-formats", "CSV, XLSX").await;
    set_value(browser, "#f-frequency", "quarterly").await;
    set_value(browser, "#f-planned_publication", &day(30)).await;
    browser
        .type_into("#f-legal_basis", "Quyết định 142/QĐ-TTg, Phụ lục II")
        .await;
    browser.follow(".catalogue-form button[type=submit]").await;
    let path = browser.current_path().await;
    assert!(path.ends_with("/manage"), "{path}");
    let id = path.split('/').nth(3).unwrap().to_owned();
    browser.follow("#submit-entry").await;
    assert_eq!(
        browser.text("#entry-status").await,
        "Đã gửi, chờ duyệt",
        "{title}"
    );
    id
}

async fn two_departments_propose_and_the_office_merges_reviews_and_issues(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    app.admin("package_create", dataset("co-so-kham-benh", "so-y-te"))
        .await
        .ok();
    let browser = Browser::open(app, "/").await;

    // Sở Y tế: the form refuses a missing title next to the field, then proposes.
    log_in(&browser, "bs-lan").await;
    browser.goto("/catalogue/mine").await;
    check_page(&browser, "catalogue-mine-empty").await;
    browser.follow("#new-entry").await;
    browser.type_into("#f-description", "Giữ lại mô tả").await;
    browser.follow(".catalogue-form button[type=submit]").await;
    assert!(browser
        .text("#f-title-error")
        .await
        .contains("Thiếu giá trị"));
    assert_eq!(
        browser
            .js("return document.getElementById('f-description').value")
            .await,
        "Giữ lại mô tả"
    );
    check_page(&browser, "catalogue-form-errors").await;
    let health = propose(
        &browser,
        "Danh sách cơ sở khám chữa bệnh",
        "Bệnh viện, trạm y tế và phòng khám trên địa bàn tỉnh",
    )
    .await;
    check_page(&browser, "catalogue-manage-submitted").await;
    log_out(&browser).await;

    // Sở Lao động proposes the same data under another spelling.
    log_in(&browser, "cv-minh").await;
    let labour = propose(
        &browser,
        "Danh sach co so kham chua benh",
        "Các bệnh viện và trạm y tế của tỉnh",
    )
    .await;
    log_out(&browser).await;

    // The data office sees the pair with its score, and merges Labour's into Health's.
    log_in(&browser, "vp-du-lieu").await;
    browser.goto("/catalogue/office").await;
    let duplicates = browser.texts(".cs-queue-item .cs-duplicate").await;
    assert_eq!(duplicates.len(), 2, "{duplicates:?}");
    assert!(
        duplicates.iter().all(|d| d.contains("độ giống 0.")),
        "{duplicates:?}"
    );
    check_page(&browser, "catalogue-office-queue").await;
    browser
        .follow(&format!(
            "form[action='/catalogue/entry/{labour}/merge'] button"
        ))
        .await;
    assert_eq!(
        browser.current_path().await,
        format!("/catalogue/entry/{health}/manage?done=merged")
    );
    assert!(browser.text(".notice").await.contains("Đã gộp"));

    // Changes asked without a reason: said next to the field; then with the reason.
    browser.click("#decision-request_changes").await;
    browser.follow("#review-entry").await;
    assert!(browser
        .text("#review-comment-error")
        .await
        .contains("Cần ghi lý do"));
    assert_eq!(
        browser
            .js("return document.getElementById('decision-request_changes').checked")
            .await,
        true
    );
    check_page(&browser, "catalogue-review-error").await;
    browser
        .type_into("#review-comment", "Bổ sung định dạng JSON cho API")
        .await;
    browser.follow("#review-entry").await;
    assert_eq!(
        browser.current_path().await,
        "/catalogue/office?done=reviewed"
    );
    log_out(&browser).await;

    // The department edits and resubmits.
    log_in(&browser, "bs-lan").await;
    browser.goto("/catalogue/mine").await;
    assert!(browser
        .text(".cs-entries")
        .await
        .contains("Được yêu cầu sửa"));
    check_page(&browser, "catalogue-mine").await;
    browser
        .follow(&format!("a[href='/catalogue/entry/{health}/manage']"))
        .await;
    assert!(browser
        .text("#comments")
        .await
        .contains("Bổ sung định dạng JSON"));
    browser.follow("#edit-entry").await;
    check_page(&browser, "catalogue-form-edit").await;
    browser.type_into("#f-formats", "CSV, XLSX, JSON").await;
    browser.follow(".catalogue-form button[type=submit]").await;
    browser.follow("#submit-entry").await;
    log_out(&browser).await;

    // The office approves and issues version 1 with the signed decision.
    log_in(&browser, "vp-du-lieu").await;
    browser
        .goto(&format!("/catalogue/entry/{health}/manage"))
        .await;
    browser.click("#decision-approve").await;
    browser.follow("#review-entry").await;
    browser.follow("#new-version").await;
    assert!(browser
        .text(".cs-list")
        .await
        .contains("Danh sách cơ sở khám chữa bệnh"));
    browser.type_into("#f-decision_number", "125/QĐ-UBND").await;
    set_value(&browser, "#f-decision_date", &day(0)).await;
    browser
        .type_into("#f-signer", "Chủ tịch UBND tỉnh Nguyễn Văn A")
        .await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("quyet-dinh-125.pdf");
    std::fs::write(&pdf, decision_pdf()).unwrap();
    browser
        .find("#f-upload")
        .await
        .send_keys(pdf.to_str().unwrap())
        .await
        .expect("choosing the PDF");
    check_page(&browser, "catalogue-version-form").await;
    browser.follow("#issue-version").await;
    assert!(browser
        .text("#office-done")
        .await
        .contains("Đã ban hành phiên bản 1"));
    // The ranking leaves out the entry merged away.
    let ranked = browser.text(".cs-ranking").await;
    assert!(
        ranked.contains("Danh sách cơ sở khám chữa bệnh"),
        "{ranked}"
    );
    assert!(
        !ranked.contains("Danh sach co so kham chua benh"),
        "{ranked}"
    );
    check_page(&browser, "catalogue-office-issued").await;
    // An editor confirmed the privacy checklist of the dataset: the office reads it.
    let answers = dataportal::catalog::privacy::checklist::all_confirmed(
        "Danh sách cơ sở công khai theo Luật Khám bệnh, chữa bệnh",
    );
    app.post(
        "package_privacy_review",
        Some(&p.health),
        serde_json::json!({"id": "co-so-kham-benh", "answers": answers}),
    )
    .await
    .ok();
    browser.goto("/catalogue/office/privacy").await;
    assert!(browser.text(".cs-privacy").await.contains("bs-lan"));
    check_page(&browser, "catalogue-privacy").await;
    log_out(&browser).await;
    let version = app
        .get("catalogue_version_show", None, &[("version", "1")])
        .await
        .ok();
    assert_eq!(version["decision_number"], "125/QĐ-UBND");
    assert_eq!(version["decision"]["size"], decision_pdf().len());
    assert_eq!(version["entries"].as_array().unwrap().len(), 1);

    // The department links its published dataset: the entry is published.
    log_in(&browser, "bs-lan").await;
    browser
        .goto(&format!("/catalogue/entry/{health}/manage"))
        .await;
    assert_eq!(browser.text("#entry-status").await, "Đã ban hành");
    browser.follow("#link-entry").await;
    assert_eq!(browser.text("#entry-status").await, "Đã công bố dữ liệu");
    assert!(browser.text("#datasets").await.contains("Bảng giá đất"));
    check_page(&browser, "catalogue-manage-published").await;
    // Months later the department is reminded of its update, on its page.
    app.post(
        "catalogue_reminders_run",
        Some(&p.office),
        serde_json::json!({"as_of": day(200)}),
    )
    .await
    .ok();
    browser.goto("/catalogue/mine").await;
    assert!(browser
        .text(".cs-notices")
        .await
        .contains("Quá hạn cập nhật"));
    check_page(&browser, "catalogue-mine-notices").await;
    log_out(&browser).await;

    // The sysadmin's accounts page offers the data office's role.
    log_in(&browser, "admin").await;
    browser.goto("/user").await;
    assert!(
        browser
            .exists("form[action='/user/vp-du-lieu/role'] button[value=revoke]")
            .await
    );
    check_page(&browser, "admin-users-roles").await;
}
