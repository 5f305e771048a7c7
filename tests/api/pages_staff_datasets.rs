//! The dataset side of the staff pages over HTTP (issue 10): resources added, replaced,
//! reordered and deleted through the forms; publish, private/public and delete; the history
//! page with old and new files side by side; the dashboard's overdue list. Every new POST
//! without or with a stale CSRF token is 403 and changes nothing; an editor of another
//! department gets 403 on every new page and POST.

use reqwest::multipart::{Form, Part};
use reqwest::Client;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};
use crate::staff_client::{browser, csrf, get, logged_in, post, read, Page};

both_backends!(
    an_editor_uploads_replaces_reorders_and_deletes_resources_through_the_forms,
    publish_private_public_and_delete_go_through_buttons_with_the_state_shown,
    posts_without_or_with_a_stale_csrf_token_are_refused_and_change_nothing,
    an_editor_of_another_department_gets_403_on_every_new_page_and_post,
    the_history_is_shown_to_whoever_may_see_the_dataset,
    package_resource_reorder_puts_the_named_resources_first,
    the_dashboard_lists_published_datasets_overdue_for_an_update,
);

/// An app with the editor `lan` of `so-giao-duc`, logged in, and the dataset `truong-hoc`.
async fn editor(backend: Backend) -> (TestApp, Client) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    app.organization("so-giao-duc").await;
    app.member("so-giao-duc", "lan", "editor").await;
    let mut dict = dataset("truong-hoc", "so-giao-duc");
    dict["resources"] = json!([]);
    app.admin("package_create", dict).await.ok();
    let client = logged_in(&app, "lan").await;
    (app, client)
}

/// A multipart form posted from a page of the portal.
async fn post_multipart(client: &Client, app: &TestApp, path: &str, form: Form) -> Page {
    read(
        client
            .post(format!("{}{path}", app.address))
            .header("Origin", &app.address)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn upload_form(token: &str, file_name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("_csrf_token", token.to_owned())
        .text("name", "")
        .text("description", "Danh sách các trường")
        .text("format", "")
        .text("url", "")
        .part("upload", Part::bytes(bytes).file_name(file_name.to_owned()))
}

async fn resources(app: &TestApp, name: &str) -> Vec<Value> {
    let shown = app.admin("package_show", json!({ "id": name })).await.ok();
    shown["resources"].as_array().unwrap().clone()
}

async fn bytes_of(client: &Client, app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let reply = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    (
        reply.status().as_u16(),
        reply.bytes().await.unwrap().to_vec(),
    )
}

/// The `href` of the first link with `class` in a page.
fn link_with_class(page: &Page, class: &str) -> String {
    let marker = format!(r#"class="{class}" href=""#);
    let start = page.body.find(&marker).unwrap_or_else(|| panic!("{class}")) + marker.len();
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end].replace("&#x2F;", "/")
}

async fn an_editor_uploads_replaces_reorders_and_deletes_resources_through_the_forms(
    backend: Backend,
) {
    let (app, client) = editor(backend).await;
    let form = get(&client, &app, "/dataset/truong-hoc/resource/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(r#"enctype="multipart/form-data""#));
    let token = csrf(&form);

    // A CSV: stored byte for byte, its type and size shown after the save, no warning.
    let first = "ma,ten\n1,Trường Tiểu học Hòa Thành\n".as_bytes().to_vec();
    let saved = post_multipart(
        &client,
        &app,
        "/dataset/truong-hoc/resource/new",
        upload_form(&token, "truong.csv", first.clone()),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved.location.ends_with("/edit?saved=1"),
        "{}",
        saved.location
    );
    let shown = get(&client, &app, &saved.location).await;
    assert!(
        shown.body.contains(r#"id="detected-type">text/csv<"#),
        "{}",
        shown.body
    );
    assert!(shown.body.contains(r#"id="detected-size""#));
    assert!(!shown.body.contains("closed-format-warning"));
    let stored = resources(&app, "truong-hoc").await;
    let csv_id = stored[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(stored[0]["hash"], hex::encode(Sha256::digest(&first)));

    // A PDF is taken, with a warning to publish CSV/XLSX too.
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
    let saved = post_multipart(
        &client,
        &app,
        "/dataset/truong-hoc/resource/new",
        upload_form(&token, "quyet-dinh.pdf", pdf),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = get(&client, &app, &saved.location).await;
    assert!(
        shown.body.contains("closed-format-warning"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("CSV hoặc XLSX"));
    let pdf_id = resources(&app, "truong-hoc").await[1]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Replacing the CSV keeps the old file, downloadable from the history.
    let second = "ma,ten\n1,Trường Tiểu học Hòa Thành\n2,Trường THCS Long Hoa\n"
        .as_bytes()
        .to_vec();
    let edit = format!("/dataset/truong-hoc/resource/{csv_id}/edit");
    let replaced = post_multipart(
        &client,
        &app,
        &edit,
        upload_form(&token, "truong-2.csv", second.clone()),
    )
    .await;
    assert_eq!(replaced.status, 303, "{}", replaced.body);
    let history = get(&browser(), &app, "/dataset/activity/truong-hoc").await;
    assert_eq!(history.status, 200, "{}", history.body);
    let (old, new) = (
        link_with_class(&history, "old-file"),
        link_with_class(&history, "new-file"),
    );
    assert_eq!(bytes_of(&browser(), &app, &old).await, (200, first));
    assert_eq!(
        bytes_of(&browser(), &app, &new).await,
        (200, second.clone())
    );
    let current = format!("/dataset/truong-hoc/resource/{csv_id}/download");
    assert_eq!(bytes_of(&browser(), &app, &current).await, (200, second));

    // A form error keeps the input and names the field.
    let bad = Form::new()
        .text("_csrf_token", token.clone())
        .text("name", "Liên kết hỏng")
        .text("url", "javascript:alert(1)");
    let page = post_multipart(&client, &app, "/dataset/truong-hoc/resource/new", bad).await;
    assert_eq!(page.status, 409, "{}", page.body);
    assert!(page.body.contains(r#"id="f-url-error""#));
    assert!(page.body.contains(r#"value="Liên kết hỏng""#));
    assert_eq!(resources(&app, "truong-hoc").await.len(), 2);

    // Reorder: the PDF moves up.
    let moved = post(
        &client,
        &app,
        &format!("/dataset/truong-hoc/resource/{pdf_id}/move"),
        &[("_csrf_token", &token), ("direction", "up")],
    )
    .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(
        resources(&app, "truong-hoc").await[0]["id"],
        pdf_id.as_str()
    );

    // Delete: a confirmation page first, then the POST.
    let delete = format!("/dataset/truong-hoc/resource/{pdf_id}/delete");
    let confirm = get(&client, &app, &delete).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains("quyet-dinh.pdf"));
    assert_eq!(resources(&app, "truong-hoc").await.len(), 2);
    let deleted = post(&client, &app, &delete, &[("_csrf_token", &token)]).await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    let left = resources(&app, "truong-hoc").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], csv_id.as_str());
}

async fn publish_private_public_and_delete_go_through_buttons_with_the_state_shown(
    backend: Backend,
) {
    let (app, client) = editor(backend).await;
    app.admin(
        "package_patch",
        json!({"id": "truong-hoc", "state": "draft"}),
    )
    .await
    .ok();
    let page = get(&client, &app, "/dataset/truong-hoc").await;
    assert!(
        page.body.contains(r#"id="dataset-state">Bản nháp"#),
        "{}",
        page.body
    );
    let token = csrf(&page);
    let state = |field: &'static str| {
        let app = &app;
        async move {
            app.admin("package_show", json!({"id": "truong-hoc"}))
                .await
                .ok()[field]
                .clone()
        }
    };
    for (change, field, expected) in [
        ("publish", "state", json!("active")),
        ("private", "private", json!(true)),
        ("public", "private", json!(false)),
        ("draft", "state", json!("draft")),
        ("publish", "state", json!("active")),
    ] {
        let done = post(
            &client,
            &app,
            "/dataset/truong-hoc/state",
            &[("_csrf_token", &token), ("change", change)],
        )
        .await;
        assert_eq!(done.status, 303, "{change}: {}", done.body);
        assert_eq!(state(field).await, expected, "{change}");
    }
    let page = get(&client, &app, "/dataset/truong-hoc").await;
    assert!(page
        .body
        .contains(r#"id="dataset-state">Đã xuất bản · Công khai"#));

    let confirm = get(&client, &app, "/dataset/delete/truong-hoc").await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(state("state").await, json!("active"));
    let deleted = post(
        &client,
        &app,
        "/dataset/delete/truong-hoc",
        &[("_csrf_token", &token)],
    )
    .await;
    assert_eq!(
        (deleted.status, deleted.location.as_str()),
        (303, "/dashboard/datasets")
    );
    assert_eq!(
        get(&browser(), &app, "/dataset/truong-hoc").await.status,
        404
    );
}

/// Every new POST of this part, with the form fields it takes (the token added per case).
fn posts(resource: &str) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "/dataset/truong-hoc/state".to_owned(),
            vec![("change", "private")],
        ),
        ("/dataset/delete/truong-hoc".to_owned(), vec![]),
        (
            format!("/dataset/truong-hoc/resource/{resource}/move"),
            vec![("direction", "down")],
        ),
        (
            format!("/dataset/truong-hoc/resource/{resource}/delete"),
            vec![],
        ),
    ]
}

/// The multipart POSTs: a new resource and an edit, each with a file.
fn multipart_posts(resource: &str) -> Vec<String> {
    vec![
        "/dataset/truong-hoc/resource/new".to_owned(),
        format!("/dataset/truong-hoc/resource/{resource}/edit"),
    ]
}

async fn with_two_links(app: &TestApp) -> String {
    for n in ["1", "2"] {
        app.admin(
            "resource_create",
            json!({"package_id": "truong-hoc", "name": format!("Liên kết {n}"),
                   "url": format!("https://example.org/{n}.csv")}),
        )
        .await
        .ok();
    }
    resources(app, "truong-hoc").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn posts_without_or_with_a_stale_csrf_token_are_refused_and_change_nothing(backend: Backend) {
    let (app, client) = editor(backend).await;
    let resource = with_two_links(&app).await;
    let before = app
        .admin("package_show", json!({"id": "truong-hoc"}))
        .await
        .ok();
    // A stale token: the one of a session since ended.
    let old = logged_in(&app, "lan").await;
    let stale = csrf(&get(&old, &app, "/dataset/truong-hoc/resource/new").await);
    post(&old, &app, "/user/_logout", &[("_csrf_token", &stale)]).await;
    get(&client, &app, "/dataset/truong-hoc").await;
    for token in [None, Some(stale.as_str())] {
        for (path, fields) in posts(&resource) {
            let mut form = fields.clone();
            if let Some(token) = token {
                form.push(("_csrf_token", token));
            }
            let refused = post(&client, &app, &path, &form).await;
            assert_eq!(refused.status, 403, "{path} {token:?}: {}", refused.body);
        }
        for path in multipart_posts(&resource) {
            let mut form = Form::new().text("name", "Không được lưu");
            if let Some(token) = token {
                form = form.text("_csrf_token", token.to_owned());
            }
            let form = form.part(
                "upload",
                Part::bytes(b"a,b\n1,2\n".to_vec()).file_name("x.csv"),
            );
            let refused = post_multipart(&client, &app, &path, form).await;
            assert_eq!(refused.status, 403, "{path} {token:?}: {}", refused.body);
        }
    }
    let after = app
        .admin("package_show", json!({"id": "truong-hoc"}))
        .await
        .ok();
    assert_eq!(before, after);
    // No file was kept either (the staged uploads were removed).
    let tmp = app.data_dir.join("files").join("tmp");
    if tmp.exists() {
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    }
}

async fn an_editor_of_another_department_gets_403_on_every_new_page_and_post(backend: Backend) {
    let (app, _) = editor(backend).await;
    let resource = with_two_links(&app).await;
    app.create_user("minh", false).await;
    app.organization("so-y-te").await;
    app.member("so-y-te", "minh", "editor").await;
    let other = logged_in(&app, "minh").await;
    let token = csrf(&get(&other, &app, "/dataset/new").await);
    let before = app
        .admin("package_show", json!({"id": "truong-hoc"}))
        .await
        .ok();
    for path in [
        "/dataset/truong-hoc/resource/new".to_owned(),
        format!("/dataset/truong-hoc/resource/{resource}/edit"),
        format!("/dataset/truong-hoc/resource/{resource}/delete"),
        "/dataset/delete/truong-hoc".to_owned(),
    ] {
        assert_eq!(get(&other, &app, &path).await.status, 403, "{path}");
    }
    for (path, fields) in posts(&resource) {
        let mut form = fields.clone();
        form.push(("_csrf_token", &token));
        let refused = post(&other, &app, &path, &form).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    for path in multipart_posts(&resource) {
        let form = upload_form(&token, "x.csv", b"a,b\n1,2\n".to_vec());
        let refused = post_multipart(&other, &app, &path, form).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    let after = app
        .admin("package_show", json!({"id": "truong-hoc"}))
        .await
        .ok();
    assert_eq!(before, after);
}

async fn the_history_is_shown_to_whoever_may_see_the_dataset(backend: Backend) {
    let (app, client) = editor(backend).await;
    let page = get(&client, &app, "/dataset/edit/truong-hoc").await;
    let token = csrf(&page);
    let fields = [
        ("_csrf_token", token.as_str()),
        ("title", "Danh sách trường học (sửa)"),
        ("name", "truong-hoc"),
        ("owner_org", "so-giao-duc"),
        ("save", "publish"),
    ];
    assert_eq!(
        post(&client, &app, "/dataset/edit/truong-hoc", &fields)
            .await
            .status,
        303
    );
    let history = get(&browser(), &app, "/dataset/activity/truong-hoc").await;
    assert_eq!(history.status, 200, "{}", history.body);
    // Old and new title side by side, with who changed it.
    let row = history.body.find("<th scope=\"row\">Tiêu đề</th>").unwrap();
    let rest = &history.body[row..];
    let (old, new) = (
        rest.find("Bảng giá đất tỉnh Tây Ninh").unwrap(),
        rest.find("Danh sách trường học (sửa)").unwrap(),
    );
    assert!(old < new);
    assert!(history.body.contains("<strong>lan</strong>"));

    app.admin(
        "package_patch",
        json!({"id": "truong-hoc", "private": true}),
    )
    .await
    .ok();
    assert_eq!(
        get(&browser(), &app, "/dataset/activity/truong-hoc")
            .await
            .status,
        404
    );
    assert_eq!(
        get(&client, &app, "/dataset/activity/truong-hoc")
            .await
            .status,
        200
    );
}

async fn package_resource_reorder_puts_the_named_resources_first(backend: Backend) {
    let (app, _) = editor(backend).await;
    with_two_links(&app).await;
    app.admin(
        "resource_create",
        json!({"package_id": "truong-hoc", "name": "Liên kết 3", "url": "https://example.org/3.csv"}),
    )
    .await
    .ok();
    let ids: Vec<String> = resources(&app, "truong-hoc")
        .await
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let done = app
        .admin(
            "package_resource_reorder",
            json!({"id": "truong-hoc", "order": [ids[2]]}),
        )
        .await
        .ok();
    assert_eq!(done["order"], json!([ids[2], ids[0], ids[1]]));
    let now: Vec<Value> = resources(&app, "truong-hoc")
        .await
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(now, vec![json!(ids[2]), json!(ids[0]), json!(ids[1])]);
    let refused = app
        .admin(
            "package_resource_reorder",
            json!({"id": "truong-hoc", "order": ["not-here"]}),
        )
        .await
        .err(409);
    assert!(refused["order"].is_array(), "{refused}");
    let anonymous = app
        .post(
            "package_resource_reorder",
            None,
            json!({"id": "truong-hoc", "order": [ids[0]]}),
        )
        .await
        .err(403);
    assert_eq!(anonymous["__type"], "Authorization Error");
}

async fn the_dashboard_lists_published_datasets_overdue_for_an_update(backend: Backend) {
    let (app, client) = editor(backend).await;
    let mut daily = dataset("gia-rau-hang-ngay", "so-giao-duc");
    daily["frequency"] = json!("daily");
    app.admin("package_create", daily).await.ok();
    // Time passes: the daily dataset was last changed ten days ago (the journal entry makes
    // the search index follow, as after any write).
    app.catalog
        .write(|conn| {
            use dataportal::db::schema::datasets;
            use diesel::prelude::*;
            diesel::update(datasets::table.filter(datasets::name.eq("gia-rau-hang-ngay")))
                .set(datasets::metadata_modified.eq("2026-01-01T00:00:00.000000"))
                .execute(conn)?;
            let id: String = datasets::table
                .filter(datasets::name.eq("gia-rau-hang-ngay"))
                .select(datasets::id)
                .first(conn)?;
            dataportal::catalog::changes::record(conn, &id)
        })
        .unwrap();
    let page = get(&client, &app, "/dashboard/datasets").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let overdue = page
        .body
        .find("Quá hạn cập nhật (1)")
        .expect("an overdue list");
    let rest = &page.body[overdue..];
    assert!(rest.contains("/dataset/gia-rau-hang-ngay\""), "{rest}");
    assert!(rest.contains("ngày"), "{rest}");
}
