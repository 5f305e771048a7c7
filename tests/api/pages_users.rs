//! Staff accounts in the browser (issue 10): a sysadmin lists and creates accounts, makes a
//! one-time reset link and disables accounts; nobody else reaches `/user`; every form needs
//! its CSRF token.

use crate::both_backends;
use crate::helpers::{spawn_app, Backend};
use crate::staff_client::{browser, csrf, get, logged_in, post, try_login, Page, PASSWORD};

both_backends!(
    a_sysadmin_lists_and_creates_users_through_the_forms,
    an_editor_gets_403_on_the_user_list,
    a_reset_link_works_once_and_ends_old_sessions,
    a_disabled_user_cannot_log_in_and_is_told_as_for_a_wrong_password,
    a_post_without_csrf_token_is_refused_and_changes_nothing,
);

/// The reset link shown on the list after a reset was made.
fn reset_path(page: &Page) -> String {
    let start = page.body.find("/user/reset/").expect("a reset link");
    let end = page.body[start..].find('"').unwrap();
    page.body[start..start + end].to_owned()
}

async fn a_sysadmin_lists_and_creates_users_through_the_forms(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("bientap", false).await;
    let client = logged_in(&app, "admin").await;
    let list = get(&client, &app, "/user").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains("bientap@tayninh.gov.vn"),
        "{}",
        list.body
    );

    // A wrong e-mail: the message in Vietnamese next to the field, the input kept, no account.
    let form = get(&client, &app, "/user/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = csrf(&form);
    let bad = [
        ("_csrf_token", token.as_str()),
        ("name", "nguyenvana"),
        ("fullname", "Nguyễn Văn A"),
        ("email", "không-phải-thư"),
        ("password", PASSWORD),
    ];
    let refused = post(&client, &app, "/user/new", &bad).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="error-email""#),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#"value="Nguyễn Văn A""#),
        "{}",
        refused.body
    );
    assert!(!get(&client, &app, "/user")
        .await
        .body
        .contains("nguyenvana"));

    let good = [
        ("_csrf_token", token.as_str()),
        ("name", "nguyenvana"),
        ("fullname", "Nguyễn Văn A"),
        ("email", "vana@tayninh.gov.vn"),
        ("password", PASSWORD),
    ];
    let created = post(&client, &app, "/user/new", &good).await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location, "/user?done=created");
    assert!(get(&client, &app, "/user")
        .await
        .body
        .contains("vana@tayninh.gov.vn"));
    logged_in(&app, "nguyenvana").await;

    // Without a password: a reset link for the new user, shown once.
    let no_password = [
        ("_csrf_token", token.as_str()),
        ("name", "tranthib"),
        ("email", "thib@tayninh.gov.vn"),
    ];
    let made = post(&client, &app, "/user/new", &no_password).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let link = reset_path(&made);
    assert_eq!(get(&browser(), &app, &link).await.status, 200);
}

async fn an_editor_gets_403_on_the_user_list(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("bientap", false).await;
    let anonymous = get(&browser(), &app, "/user").await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location.starts_with("/user/login"));
    let client = logged_in(&app, "bientap").await;
    assert_eq!(get(&client, &app, "/user").await.status, 403);
    assert_eq!(get(&client, &app, "/user/new").await.status, 403);
}

async fn a_reset_link_works_once_and_ends_old_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("bientap", false).await;
    let old_session = logged_in(&app, "bientap").await;
    let admin = logged_in(&app, "admin").await;
    let token = csrf(&get(&admin, &app, "/user").await);
    let made = post(
        &admin,
        &app,
        "/user/bientap/reset",
        &[("_csrf_token", &token)],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let link = reset_path(&made);

    let holder = browser();
    let form = get(&holder, &app, &link).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = csrf(&form);
    let new = "mật-khẩu-mới-đủ-dài";
    let fields = [
        ("_csrf_token", token.as_str()),
        ("new_password", new),
        ("confirm_password", new),
    ];
    let done = post(&holder, &app, &link, &fields).await;
    assert_eq!(done.status, 200, "{}", done.body);

    // The old session is over; the new password works, the old one does not.
    assert_eq!(get(&old_session, &app, "/user/me").await.status, 303);
    assert_eq!(
        try_login(&browser(), &app, "bientap", new).await.status,
        303
    );
    assert_ne!(
        try_login(&browser(), &app, "bientap", PASSWORD)
            .await
            .status,
        303
    );

    // Spent: neither the page nor the form works again.
    assert_eq!(get(&holder, &app, &link).await.status, 404);
    let again = post(&holder, &app, &link, &fields).await;
    assert_eq!(again.status, 404, "{}", again.body);
}

async fn a_disabled_user_cannot_log_in_and_is_told_as_for_a_wrong_password(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("bientap", false).await;
    let wrong = try_login(&browser(), &app, "bientap", "sai-mật-khẩu-rồi").await;
    let session = logged_in(&app, "bientap").await;
    let admin = logged_in(&app, "admin").await;
    let token = csrf(&get(&admin, &app, "/user").await);
    let off = post(
        &admin,
        &app,
        "/user/bientap/disable",
        &[("_csrf_token", &token)],
    )
    .await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(get(&session, &app, "/user/me").await.status, 303);
    let refused = try_login(&browser(), &app, "bientap", PASSWORD).await;
    assert_eq!(refused.status, wrong.status);
    assert!(refused
        .body
        .contains("Tên đăng nhập (hoặc thư điện tử) hoặc mật khẩu không đúng"));

    let on = post(
        &admin,
        &app,
        "/user/bientap/enable",
        &[("_csrf_token", &token)],
    )
    .await;
    assert_eq!(on.status, 303, "{}", on.body);
    logged_in(&app, "bientap").await;
}

async fn a_post_without_csrf_token_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("bientap", false).await;
    let admin = logged_in(&app, "admin").await;
    get(&admin, &app, "/user").await;
    let form = [
        ("name", "keladanh"),
        ("email", "k@tayninh.gov.vn"),
        ("password", PASSWORD),
    ];
    assert_eq!(post(&admin, &app, "/user/new", &form).await.status, 403);
    assert_eq!(
        post(&admin, &app, "/user/bientap/disable", &[])
            .await
            .status,
        403
    );
    assert_eq!(
        post(&admin, &app, "/user/bientap/reset", &[]).await.status,
        403
    );
    let list = get(&admin, &app, "/user").await;
    assert!(!list.body.contains("keladanh"));
    assert!(!list.body.contains("/user/bientap/enable"));
    logged_in(&app, "bientap").await;
}
