//! Publishing a dataset in a real Chromium, as department staff do (issue 10): log in, create
//! a dataset whose URL name comes from its Vietnamese title, upload a CSV while the progress
//! bar moves, publish, log out; an anonymous visitor then finds it by searching without
//! diacritics and downloads the very same bytes. A replaced file stays downloadable from the
//! history page. Every new page passes axe (no serious or critical violation) at desktop and
//! 360 px widths.

use sha2::{Digest, Sha256};

use crate::browser::{Browser, Viewport};
use crate::helpers::{spawn_app, Backend, TestApp};

crate::both_backends!(an_editor_publishes_a_csv_that_an_anonymous_visitor_downloads_unchanged);

/// Serious and critical axe violations, and sideways scrolling at 360 px, of the open page.
pub(crate) async fn check_page(browser: &Browser, name: &str) {
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

/// A CSV of about 3.4 MB (the test configuration takes uploads up to 4 MiB).
fn big_csv() -> Vec<u8> {
    let mut csv = "ma_xa,ten_xa,dan_so\n".as_bytes().to_vec();
    for n in 0..90_000 {
        csv.extend_from_slice(format!("{n:06},Phường Hòa Thành {n},{}\n", n * 7 % 9973).as_bytes());
    }
    csv
}

/// Chooses a file for the form's file field.
async fn choose_file(browser: &Browser, path: &std::path::Path) {
    browser
        .find("#f-upload")
        .await
        .send_keys(path.to_str().unwrap())
        .await
        .expect("choosing a file");
}

/// Records, across the page change, the progress values the upload form shows.
async fn watch_progress(browser: &Browser) {
    browser
        .js(r#"
            sessionStorage.setItem("seen", "[]");
            var form = document.querySelector("form[data-upload]");
            new MutationObserver(function () {
              var seen = JSON.parse(sessionStorage.getItem("seen"));
              var box = form.querySelector(".upload-progress");
              seen.push([Number(form.getAttribute("data-progress")), !box.hidden]);
              sessionStorage.setItem("seen", JSON.stringify(seen));
            }).observe(form, { attributes: true, attributeFilter: ["data-progress"] });
        "#)
        .await;
}

pub(crate) async fn log_in(browser: &Browser, name: &str) {
    browser.goto("/user/login").await;
    browser.type_into("#field-login", name).await;
    browser
        .type_into("#field-password", crate::staff_client::PASSWORD)
        .await;
    browser.submit("form[action='/user/login']").await;
}

async fn an_editor_publishes_a_csv_that_an_anonymous_visitor_downloads_unchanged(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    app.organization("so-giao-duc").await;
    app.member("so-giao-duc", "lan", "editor").await;
    // A published dataset whose tags the form can suggest.
    app.admin(
        "package_create",
        crate::helpers::dataset("bang-gia-dat", "so-giao-duc"),
    )
    .await
    .ok();
    let browser = Browser::open(&app, "/").await;
    log_in(&browser, "lan").await;

    // The form: an error shows next to its field, in Vietnamese, and the input stays.
    browser.goto("/dataset/new").await;
    browser.type_into("#f-notes", "Mô tả được giữ lại").await;
    browser.follow("button[name=save][value=draft]").await;
    assert!(browser
        .text("#f-title-error")
        .await
        .contains("Thiếu giá trị"));
    let described = browser
        .js("return document.getElementById('f-title').getAttribute('aria-describedby')")
        .await;
    assert!(described.as_str().unwrap().contains("f-title-error"));
    assert_eq!(
        browser
            .js("return document.getElementById('f-notes').value")
            .await,
        "Mô tả được giữ lại"
    );
    check_page(&browser, "dataset-form-errors").await;

    // The URL name follows the Vietnamese title, by the server's own rule.
    let title = "Danh sách điểm đỗ xe đạp công cộng năm 2025";
    browser.type_into("#f-title", title).await;
    let slug = browser
        .js("return document.getElementById('f-name').value")
        .await;
    assert_eq!(slug, dataportal::catalog::vocab::suggest_name(title));
    assert_eq!(slug, "danh-sach-diem-do-xe-dap-cong-cong-nam-2025");
    // The place: typed without diacritics, chosen from the province's communes and wards.
    browser.type_into("#f-spatial_name", "hoa thanh").await;
    assert_eq!(
        browser.text("#f-spatial_name-choices li").await,
        "Hòa Thành"
    );
    browser.click("#f-spatial_name-choices li").await;
    assert_eq!(
        browser
            .js("return document.getElementById('f-spatial_name').value")
            .await,
        "Hòa Thành"
    );
    // Tags: typed without diacritics, completed from the tags already in use.
    browser.type_into("#f-tags", "gia").await;
    let mut suggested = Vec::new();
    for _ in 0..40 {
        suggested = browser.texts("#f-tags-choices li").await;
        if !suggested.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(suggested, ["giá đất"]);
    browser.click("#f-tags-choices li").await;
    assert_eq!(
        browser
            .js("return document.getElementById('f-tags').value")
            .await,
        "giá đất, "
    );
    browser.screenshot("dataset-form-filled").await;
    browser.follow("button[name=save][value=draft]").await;
    let new_resource = format!("/dataset/{}/resource/new", slug.as_str().unwrap());
    assert_eq!(browser.current_path().await, new_resource);
    check_page(&browser, "resource-new").await;

    // The upload, watching the progress bar.
    let csv = big_csv();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diem-do-xe.csv");
    std::fs::write(&path, &csv).unwrap();
    choose_file(&browser, &path).await;
    browser.type_into("#f-name", "Điểm đỗ xe đạp (CSV)").await;
    watch_progress(&browser).await;
    browser.follow(".resource-form button[type=submit]").await;
    assert!(browser
        .current_url()
        .await
        .as_str()
        .ends_with("/edit?saved=1"));
    let seen = browser
        .js("return JSON.parse(sessionStorage.getItem('seen') || '[]')")
        .await;
    let seen = seen.as_array().unwrap();
    assert!(!seen.is_empty(), "no progress shown");
    assert!(
        seen.iter().all(|s| s[1] == true),
        "the bar was hidden: {seen:?}"
    );
    assert_eq!(seen.last().unwrap()[0], 100, "{seen:?}");
    assert_eq!(browser.text("#detected-type").await, "text/csv");
    assert!(!browser.text("#detected-size").await.is_empty());
    check_page(&browser, "resource-saved").await;

    // Publish from the saved page; the dataset page shows the state.
    browser.follow("#saved-notice button[value=publish]").await;
    assert!(browser.text("#dataset-state").await.contains("Đã xuất bản"));
    check_page(&browser, "dataset-manage").await;

    // Replace the file: the old one stays downloadable from the history page.
    browser.follow(".edit-resource").await;
    let replacement = dir.path().join("diem-do-xe-2.csv");
    std::fs::write(&replacement, "ma_xa,ten_xa\n1,Hòa Thành\n").unwrap();
    choose_file(&browser, &replacement).await;
    browser.follow(".resource-form button[type=submit]").await;
    check_page(&browser, "resource-edit").await;
    browser
        .goto(&format!("/dataset/activity/{}", slug.as_str().unwrap()))
        .await;
    check_page(&browser, "history").await;
    let old_link = browser
        .js("return document.querySelector('a.old-file').getAttribute('href')")
        .await;

    // The confirmation pages.
    browser
        .goto(&format!("/dataset/delete/{}", slug.as_str().unwrap()))
        .await;
    check_page(&browser, "dataset-delete-confirm").await;

    // Log out; an anonymous visitor searches without diacritics and downloads.
    browser.goto("/").await;
    browser.submit("form.logout-form").await;
    browser.goto("/dataset?q=diem+do+xe+dap").await;
    let found = browser.texts(".dataset-card h3, .result h3, h3 a").await;
    assert!(
        found.iter().any(|t| t.contains("Danh sách điểm đỗ xe đạp")),
        "{found:?}"
    );
    browser
        .goto(&format!("/dataset/{}", slug.as_str().unwrap()))
        .await;
    assert!(!browser.exists(".manage-box").await);
    let download = browser
        .js("return document.querySelector('a.download').getAttribute('href')")
        .await;
    let anonymous = reqwest::Client::new();
    let fetch = |path: String| {
        let (anonymous, app) = (&anonymous, &app);
        async move { fetch_bytes(anonymous, app, &path).await }
    };
    let current = fetch(download.as_str().unwrap().to_owned()).await;
    assert_eq!(
        hex::encode(Sha256::digest(&current)),
        hex::encode(Sha256::digest(b"ma_xa,ten_xa\n1,H\xc3\xb2a Th\xc3\xa0nh\n"))
    );
    let original = fetch(old_link.as_str().unwrap().to_owned()).await;
    assert_eq!(
        hex::encode(Sha256::digest(&original)),
        hex::encode(Sha256::digest(&csv))
    );
}

async fn fetch_bytes(client: &reqwest::Client, app: &TestApp, path: &str) -> Vec<u8> {
    let url = if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", app.address)
    };
    let reply = client.get(url).send().await.unwrap();
    assert_eq!(reply.status(), 200, "{path}");
    reply.bytes().await.unwrap().to_vec()
}
