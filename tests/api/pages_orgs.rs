//! Organisations and their members in the browser (issue 10): an organisation admin adds a
//! colleague by e-mail, who then edits the department's datasets; editors cannot manage
//! members; the last admin stays; a sysadmin creates, edits and deletes an organisation; every
//! new form wants its CSRF token; a reset link is e-mailed when a relay is configured.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend};
use crate::smtp_sink::SmtpSink;
use crate::staff_client::{csrf, get, logged_in, post};

both_backends!(
    an_org_admin_adds_a_member_by_email_who_then_edits_its_datasets,
    an_editor_cannot_manage_members,
    the_last_admin_cannot_leave_or_step_down,
    a_sysadmin_creates_edits_and_deletes_an_organisation,
    the_new_forms_refuse_a_post_without_its_csrf_token,
    a_reset_link_is_emailed_with_the_link_the_page_shows,
    a_relay_that_fails_does_not_fail_the_reset_and_the_page_says_so,
);

/// An API token for `user`, made by the sysadmin.
async fn token_of(app: &crate::helpers::TestApp, user: &str) -> String {
    let made = app
        .admin("api_token_create", json!({"user": user}))
        .await
        .ok();
    made["token"].as_str().unwrap().to_owned()
}

/// A portal whose `[mail]` relay is `smtp_url`.
async fn spawn_with_relay(backend: Backend, smtp_url: &str) -> crate::helpers::TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg_database) = fresh_database(backend, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.mail.smtp_url = smtp_url.to_owned();
    settings.mail.from = "Cổng dữ liệu mở <noreply@tayninh.gov.vn>".to_owned();
    spawn_with(settings, backend, pg_database, dir).await
}

async fn an_org_admin_adds_a_member_by_email_who_then_edits_its_datasets(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.create_user("truongphong", false).await;
    app.member("so-tai-chinh", "truongphong", "admin").await;
    app.create_user("lan", false).await;
    app.admin("package_create", dataset("bang-gia-dat", "so-tai-chinh"))
        .await
        .ok();

    let admin = logged_in(&app, "truongphong").await;
    let org = get(&admin, &app, "/organization/so-tai-chinh").await;
    assert!(org.body.contains("/organization/members/so-tai-chinh"));
    let page = get(&admin, &app, "/organization/members/so-tai-chinh").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let token = csrf(&page);

    // An unknown address: said next to the form, nobody added.
    let unknown = [
        ("_csrf_token", token.as_str()),
        ("username", "khong-co@tayninh.gov.vn"),
        ("role", "editor"),
    ];
    let refused = post(
        &admin,
        &app,
        "/organization/member_new/so-tai-chinh",
        &unknown,
    )
    .await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    assert!(refused.body.contains("Không tìm thấy người dùng"));
    assert!(refused.body.contains(r#"value="khong-co@tayninh.gov.vn""#));

    // By e-mail, in any case.
    let by_mail = [
        ("_csrf_token", token.as_str()),
        ("username", "LAN@tayninh.gov.vn"),
        ("role", "editor"),
    ];
    let added = post(
        &admin,
        &app,
        "/organization/member_new/so-tai-chinh",
        &by_mail,
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let list = get(&admin, &app, &added.location).await;
    assert!(list.body.contains("Đã lưu thành viên"), "{}", list.body);
    assert!(list.body.contains("?user=lan"));

    // Lan logs in and edits the department's dataset.
    let lan = logged_in(&app, "lan").await;
    let form = get(&lan, &app, "/dataset/edit/bang-gia-dat").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let changed = app
        .post(
            "package_patch",
            Some(&token_of(&app, "lan").await),
            json!({"id": "bang-gia-dat", "title": "Bảng giá đất (Lan sửa)"}),
        )
        .await
        .ok();
    assert_eq!(changed["title"], "Bảng giá đất (Lan sửa)");

    // Removing her takes a confirmation, then she can no longer edit.
    let confirm = get(
        &admin,
        &app,
        "/organization/member_delete/so-tai-chinh?user=lan",
    )
    .await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let remove = [("_csrf_token", token.as_str()), ("username", "lan")];
    let removed = post(
        &admin,
        &app,
        "/organization/member_delete/so-tai-chinh",
        &remove,
    )
    .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert_eq!(
        get(&lan, &app, "/dataset/edit/bang-gia-dat").await.status,
        403
    );
}

async fn an_editor_cannot_manage_members(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-y-te").await;
    app.create_user("bientap", false).await;
    app.member("so-y-te", "bientap", "editor").await;
    app.create_user("lan", false).await;
    let editor = logged_in(&app, "bientap").await;
    let org = get(&editor, &app, "/organization/so-y-te").await;
    assert!(!org.body.contains("/organization/members/"));
    let page = get(&editor, &app, "/organization/members/so-y-te").await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("quản lý thành viên"));
    assert_eq!(
        get(&editor, &app, "/organization/edit/so-y-te")
            .await
            .status,
        403
    );
    let token = csrf(&get(&editor, &app, "/user/me").await);
    let form = [
        ("_csrf_token", token.as_str()),
        ("username", "lan"),
        ("role", "admin"),
    ];
    let refused = post(&editor, &app, "/organization/member_new/so-y-te", &form).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let members = app
        .admin("member_list", json!({"id": "so-y-te"}))
        .await
        .ok();
    assert_eq!(members.as_array().unwrap().len(), 1);
}

async fn the_last_admin_cannot_leave_or_step_down(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-y-te").await;
    app.create_user("truongphong", false).await;
    app.member("so-y-te", "truongphong", "admin").await;
    let token = token_of(&app, "truongphong").await;
    for (action, body) in [
        (
            "organization_member_create",
            json!({"id": "so-y-te", "username": "truongphong", "role": "editor"}),
        ),
        (
            "organization_member_delete",
            json!({"id": "so-y-te", "username": "truongphong@tayninh.gov.vn"}),
        ),
    ] {
        let error = app.post(action, Some(&token), body).await.err(409);
        assert!(error["username"][0]
            .as_str()
            .unwrap()
            .contains("quản trị viên cuối cùng"));
    }
    // With a second admin the first may step down; a sysadmin is not held by the rule.
    app.create_user("phophong", false).await;
    app.post(
        "organization_member_create",
        Some(&token),
        json!({"id": "so-y-te", "username": "phophong", "role": "admin"}),
    )
    .await
    .ok();
    app.post(
        "organization_member_create",
        Some(&token),
        json!({"id": "so-y-te", "username": "truongphong", "role": "editor"}),
    )
    .await
    .ok();
    app.admin(
        "organization_member_delete",
        json!({"id": "so-y-te", "username": "phophong"}),
    )
    .await
    .ok();
}

async fn a_sysadmin_creates_edits_and_deletes_an_organisation(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = logged_in(&app, "admin").await;
    let list = get(&admin, &app, "/organization").await;
    assert!(list.body.contains(r#"href="/organization/new""#));
    let form = get(&admin, &app, "/organization/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = csrf(&form);

    let bad = [
        ("_csrf_token", token.as_str()),
        ("name", "Sở Nội vụ"),
        ("title", "Sở Nội vụ"),
        ("contact_email", "không-phải-thư"),
    ];
    let refused = post(&admin, &app, "/organization/new", &bad).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains(r#"id="error-name""#));
    assert!(refused.body.contains(r#"id="error-contact_email""#));
    assert!(refused.body.contains(r#"value="Sở Nội vụ""#));

    let good = [
        ("_csrf_token", token.as_str()),
        ("name", "so-noi-vu"),
        ("title", "Sở Nội vụ"),
        ("title_en", "Department of Home Affairs"),
        ("description", "Quản lý tổ chức bộ máy."),
        ("image_url", "https://tayninh.gov.vn/logo-snv.png"),
        ("contact_email", "snv@tayninh.gov.vn"),
        ("contact_phone", "0276 3822 222"),
        ("address", "Số 1, đường 30/4, phường Tân Ninh"),
    ];
    let created = post(&admin, &app, "/organization/new", &good).await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location, "/organization/so-noi-vu");
    let shown = app
        .get("organization_show", None, &[("id", "so-noi-vu")])
        .await
        .ok();
    assert_eq!(shown["contact_phone"], "0276 3822 222");
    assert_eq!(shown["address"], "Số 1, đường 30/4, phường Tân Ninh");
    let page = get(&admin, &app, "/organization/so-noi-vu").await;
    assert!(page.body.contains("snv@tayninh.gov.vn"));
    assert!(page.body.contains("/organization/delete/so-noi-vu"));

    let edit = get(&admin, &app, "/organization/edit/so-noi-vu").await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    assert!(edit.body.contains(r#"value="Department of Home Affairs""#));
    let mut changed = good;
    changed[2] = ("title", "Sở Nội vụ tỉnh Tây Ninh");
    changed[7] = ("contact_phone", "");
    let saved = post(&admin, &app, "/organization/edit/so-noi-vu", &changed).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = app
        .get("organization_show", None, &[("id", "so-noi-vu")])
        .await
        .ok();
    assert_eq!(shown["title"], "Sở Nội vụ tỉnh Tây Ninh");
    assert_eq!(shown["contact_phone"], "");
    assert_eq!(shown["contact_email"], "snv@tayninh.gov.vn");

    // Deleting one with datasets is refused with the reason; without, it goes.
    app.admin("package_create", dataset("bien-che", "so-noi-vu"))
        .await
        .ok();
    let confirm = get(&admin, &app, "/organization/delete/so-noi-vu").await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let delete = [("_csrf_token", token.as_str())];
    let refused = post(&admin, &app, "/organization/delete/so-noi-vu", &delete).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("còn 1 bộ dữ liệu"),
        "{}",
        refused.body
    );
    app.admin("package_delete", json!({"id": "bien-che"}))
        .await
        .ok();
    let deleted = post(&admin, &app, "/organization/delete/so-noi-vu", &delete).await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert_eq!(
        get(&admin, &app, "/organization/so-noi-vu").await.status,
        404
    );
}

async fn the_new_forms_refuse_a_post_without_its_csrf_token(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-y-te").await;
    app.create_user("lan", false).await;
    let admin = logged_in(&app, "admin").await;
    get(&admin, &app, "/user/me").await;
    for (path, form) in [
        ("/organization/new", vec![("name", "so-moi")]),
        (
            "/organization/edit/so-y-te",
            vec![("name", "so-y-te"), ("title", "Đổi")],
        ),
        ("/organization/delete/so-y-te", vec![]),
        (
            "/organization/member_new/so-y-te",
            vec![("username", "lan"), ("role", "admin")],
        ),
        (
            "/organization/member_delete/so-y-te",
            vec![("username", "admin")],
        ),
    ] {
        for token in [None, Some("cu-hoac-sai")] {
            let mut sent = form.clone();
            if let Some(token) = token {
                sent.push(("_csrf_token", token));
            }
            let refused = post(&admin, &app, path, &sent).await;
            assert_eq!(refused.status, 403, "{path}: {}", refused.body);
            assert!(refused.body.contains("csrf_failed"), "{path}");
        }
    }
    let shown = app
        .get("organization_show", None, &[("id", "so-y-te")])
        .await
        .ok();
    assert_eq!(shown["title"], "Sở so-y-te");
    assert_eq!(
        app.get("organization_show", None, &[("id", "so-moi")])
            .await
            .status,
        404
    );
    let members = app
        .admin("member_list", json!({"id": "so-y-te"}))
        .await
        .ok();
    assert!(members.as_array().unwrap().is_empty());
}

async fn a_reset_link_is_emailed_with_the_link_the_page_shows(backend: Backend) {
    let sink = SmtpSink::start().await;
    let app = spawn_with_relay(backend, &sink.url()).await;
    app.create_user("lan", false).await;

    let admin = logged_in(&app, "admin").await;
    let token = csrf(&get(&admin, &app, "/user").await);
    let made = post(&admin, &app, "/user/lan/reset", &[("_csrf_token", &token)]).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(
        made.body.contains("đã gửi liên kết tới email"),
        "{}",
        made.body
    );
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].recipients, ["lan@tayninh.gov.vn"]);
    let (subject, body) = messages[0].text();
    assert!(subject.starts_with("Đặt lại mật khẩu"), "{subject}");
    let wanted = format!("{}/user/reset/", app.address);
    let start = body.find(&wanted).expect("the link in the mail");
    let link = body[start..].split_whitespace().next().unwrap();
    assert!(made.body.contains(link), "the page shows the mailed link");
    let reset = get(
        &crate::staff_client::browser(),
        &app,
        &link[app.address.len()..],
    )
    .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert!(reset.body.contains("lan"));
}

async fn a_relay_that_fails_does_not_fail_the_reset_and_the_page_says_so(backend: Backend) {
    // A port that was just free: nothing listens there, the relay refuses the connection.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_with_relay(backend, &format!("smtp://127.0.0.1:{port}")).await;
    app.create_user("lan", false).await;
    let admin = logged_in(&app, "admin").await;
    let token = csrf(&get(&admin, &app, "/user").await);
    let made = post(&admin, &app, "/user/lan/reset", &[("_csrf_token", &token)]).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(made.body.contains("không gửi được email"), "{}", made.body);
    assert!(made.body.contains("/user/reset/"));
    let made = app
        .admin("user_password_reset_create", json!({"id": "lan"}))
        .await
        .ok();
    assert_eq!(made["mail"], "failed");
    assert_eq!(made["token"].as_str().unwrap().len(), 64);
}
