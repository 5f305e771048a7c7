//! Publishing in the browser's way (issue 10): an editor creates a dataset through the form and
//! edits it; a form with errors comes back with Vietnamese messages next to the fields, the input
//! kept and nothing stored; anonymous users go to the login page; users without an organisation
//! get 403; a POST without the CSRF token changes nothing.

use reqwest::Client;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};
use crate::staff_client::{browser, csrf, get, logged_in, post};

both_backends!(
    an_editor_creates_a_dataset_through_the_form_and_it_shows_on_its_page,
    a_form_with_errors_shows_vietnamese_messages_keeps_the_input_and_stores_nothing,
    an_editor_changes_the_title_through_the_edit_form,
    an_anonymous_visitor_is_sent_to_the_login_page,
    a_user_without_an_organisation_gets_403,
    a_post_without_the_csrf_token_is_refused_and_stores_nothing,
    my_datasets_lists_drafts_private_and_published_apart,
);

/// An app with the editor `lan` of `so-giao-duc`, logged in.
async fn editor(backend: Backend) -> (TestApp, Client) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    app.organization("so-giao-duc").await;
    app.member("so-giao-duc", "lan", "editor").await;
    let client = logged_in(&app, "lan").await;
    (app, client)
}

async fn an_editor_creates_a_dataset_through_the_form_and_it_shows_on_its_page(backend: Backend) {
    let (app, client) = editor(backend).await;
    let form = get(&client, &app, "/dataset/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Lưu nháp") && form.body.contains("Xuất bản"));
    let token = csrf(&form);
    let fields = [
        ("_csrf_token", token.as_str()),
        ("title", "Danh sách trường học năm 2025"),
        ("name", ""),
        (
            "notes",
            "Các trường mầm non, tiểu học và trung học trong tỉnh.",
        ),
        ("owner_org", "so-giao-duc"),
        ("theme_giao-duc", "on"),
        ("tags", "giáo dục, trường học"),
        ("license_id", "cc-by-4.0"),
        ("frequency", "annual"),
        ("spatial_name", "Tỉnh Tây Ninh"),
        ("contact_email", "sgd@tayninh.gov.vn"),
        ("private", "false"),
        ("save", "publish"),
    ];
    let saved = post(&client, &app, "/dataset/new", &fields).await;
    // The author goes on to add the dataset's files, as in CKAN.
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, "/dataset/danh-sach-truong-hoc-nam-2025/resource/new"),
        "{}",
        saved.body
    );
    let stored = app
        .admin(
            "package_show",
            json!({"id": "danh-sach-truong-hoc-nam-2025"}),
        )
        .await
        .ok();
    assert_eq!(stored["state"], "active");
    assert_eq!(stored["private"], false);
    assert_eq!(stored["groups"][0]["name"], "giao-duc");
    assert_eq!(stored["tags"].as_array().unwrap().len(), 2);

    let shown = get(&client, &app, "/dataset/danh-sach-truong-hoc-nam-2025").await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Danh sách trường học năm 2025"));
    assert!(shown
        .body
        .contains(r#"href="/dataset/edit/danh-sach-truong-hoc-nam-2025""#));
    let anonymous = get(&browser(), &app, "/dataset/danh-sach-truong-hoc-nam-2025").await;
    assert!(!anonymous.body.contains("/dataset/edit/"));

    // "Save as draft" keeps it a draft.
    let mut draft = fields;
    draft[1] = ("title", "Bản nháp điểm thi");
    draft[12] = ("save", "draft");
    let saved = post(&client, &app, "/dataset/new", &draft).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = app
        .admin("package_show", json!({"id": "ban-nhap-diem-thi"}))
        .await
        .ok();
    assert_eq!(stored["state"], "draft");
}

async fn a_form_with_errors_shows_vietnamese_messages_keeps_the_input_and_stores_nothing(
    backend: Backend,
) {
    let (app, client) = editor(backend).await;
    let token = csrf(&get(&client, &app, "/dataset/new").await);
    // The form asks for a title first.
    let untitled = [
        ("_csrf_token", token.as_str()),
        ("title", ""),
        ("notes", "Mô tả được giữ lại"),
        ("owner_org", "so-giao-duc"),
        ("save", "publish"),
    ];
    let page = post(&client, &app, "/dataset/new", &untitled).await;
    assert_eq!(page.status, 409, "{}", page.body);
    assert!(page.body.contains(r#"id="f-title-error""#), "{}", page.body);
    assert!(page.body.contains("Thiếu giá trị"));
    assert!(page.body.contains("Mô tả được giữ lại"));
    let fields = [
        ("_csrf_token", token.as_str()),
        ("title", "Tiêu đề có dấu"),
        ("name", "Tên Sai!"),
        ("notes", "Mô tả được giữ lại"),
        ("owner_org", "so-giao-duc"),
        ("contact_email", "không phải thư"),
        ("save", "publish"),
    ];
    let page = post(&client, &app, "/dataset/new", &fields).await;
    assert!(
        [409, 422].contains(&page.status),
        "{}: {}",
        page.status,
        page.body
    );
    assert!(page.body.contains(r#"id="f-name-error""#), "{}", page.body);
    assert!(page.body.contains(r#"id="f-contact_email-error""#));
    assert!(page.body.contains(r#"aria-invalid="true""#));
    // The message suggests a valid name, in Vietnamese, and the input stays in its fields.
    assert!(page.body.contains("ten-sai"), "{}", page.body);
    assert!(page.body.contains(r#"value="Tên Sai!""#));
    assert!(page.body.contains("Mô tả được giữ lại"));
    assert!(page.body.contains(r#"lang="vi""#));
    let stored = app
        .admin(
            "package_search",
            json!({"include_drafts": true, "include_private": true}),
        )
        .await
        .ok();
    assert_eq!(stored["count"], 0);
}

async fn an_editor_changes_the_title_through_the_edit_form(backend: Backend) {
    let (app, client) = editor(backend).await;
    app.admin("package_create", dataset("bang-gia-dat", "so-giao-duc"))
        .await
        .ok();
    let form = get(&client, &app, "/dataset/edit/bang-gia-dat").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Bảng giá đất tỉnh Tây Ninh"));
    assert!(form.body.contains(r#"value="Tỉnh Tây Ninh""#));
    let token = csrf(&form);
    let fields = [
        ("_csrf_token", token.as_str()),
        ("title", "Bảng giá đất 2025–2029 (sửa đổi)"),
        ("name", "bang-gia-dat"),
        ("owner_org", "so-giao-duc"),
        ("spatial_name", "Tỉnh Tây Ninh"),
        ("save", "publish"),
    ];
    let saved = post(&client, &app, "/dataset/edit/bang-gia-dat", &fields).await;
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, "/dataset/bang-gia-dat"),
        "{}",
        saved.body
    );
    let stored = app
        .admin("package_show", json!({"id": "bang-gia-dat"}))
        .await
        .ok();
    assert_eq!(stored["title"], "Bảng giá đất 2025–2029 (sửa đổi)");
    assert_eq!(stored["state"], "active");

    // An editor of another department may neither open the form nor post to it.
    app.create_user("minh", false).await;
    app.organization("so-y-te").await;
    app.member("so-y-te", "minh", "editor").await;
    let other = logged_in(&app, "minh").await;
    assert_eq!(
        get(&other, &app, "/dataset/edit/bang-gia-dat").await.status,
        403
    );
    let token = csrf(&get(&other, &app, "/dataset/new").await);
    let mut fields = fields;
    fields[0] = ("_csrf_token", token.as_str());
    fields[1] = ("title", "Không được sửa");
    let refused = post(&other, &app, "/dataset/edit/bang-gia-dat", &fields).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
}

async fn an_anonymous_visitor_is_sent_to_the_login_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = get(&browser(), &app, "/dataset/new").await;
    assert_eq!(
        (page.status, page.location.as_str()),
        (303, "/user/login?came_from=/dataset/new")
    );
}

async fn a_user_without_an_organisation_gets_403(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("hoa", false).await;
    let client = logged_in(&app, "hoa").await;
    let page = get(&client, &app, "/dataset/new").await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("không có quyền"), "{}", page.body);
}

async fn a_post_without_the_csrf_token_is_refused_and_stores_nothing(backend: Backend) {
    let (app, client) = editor(backend).await;
    get(&client, &app, "/dataset/new").await;
    let fields = [
        ("title", "Không có mã CSRF"),
        ("owner_org", "so-giao-duc"),
        ("save", "publish"),
    ];
    let refused = post(&client, &app, "/dataset/new", &fields).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let stored = app
        .admin(
            "package_search",
            json!({"include_drafts": true, "include_private": true}),
        )
        .await
        .ok();
    assert_eq!(stored["count"], 0);
}

async fn my_datasets_lists_drafts_private_and_published_apart(backend: Backend) {
    let (app, client) = editor(backend).await;
    let mut draft = dataset("ban-nhap", "so-giao-duc");
    draft["state"] = json!("draft");
    let mut private = dataset("noi-bo", "so-giao-duc");
    private["private"] = json!(true);
    for dict in [draft, private, dataset("cong-khai", "so-giao-duc")] {
        app.admin("package_create", dict).await.ok();
    }
    app.organization("so-y-te").await;
    app.admin("package_create", dataset("cua-so-khac", "so-y-te"))
        .await
        .ok();

    let page = get(&client, &app, "/dashboard/datasets").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let at = |needle: &str| page.body.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let (drafts, private, published) = (at("Bản nháp ("), at("Riêng tư ("), at("Đã xuất bản ("));
    assert!(drafts < at("/dataset/ban-nhap\"") && at("/dataset/ban-nhap\"") < private);
    assert!(private < at("/dataset/noi-bo\"") && at("/dataset/noi-bo\"") < published);
    assert!(published < at("/dataset/cong-khai\""));
    assert!(!page.body.contains("cua-so-khac"));

    let anonymous = get(&browser(), &app, "/dashboard/datasets").await;
    assert_eq!(anonymous.status, 303);
}
