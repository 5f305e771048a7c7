//! Logging in and out in the browser's way (a cookie-keeping client, no redirects followed):
//! the session cookie, the same message for an unknown user and a wrong password, CSRF tokens
//! on every form, logging out (here and everywhere), too many attempts, and a session that
//! lets staff see their department's private dataset.

use reqwest::redirect::Policy;
use reqwest::Client;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};
use crate::staff_client::{browser, csrf, get, logged_in, post, read, try_login, Page, PASSWORD};

both_backends!(
    logging_in_sets_the_cookie_and_the_next_page_shows_the_user,
    a_wrong_password_and_an_unknown_user_get_the_same_vietnamese_message,
    a_post_without_or_with_a_wrong_csrf_token_is_refused,
    logging_out_ends_the_session_even_for_a_kept_cookie,
    logging_out_everywhere_ends_the_other_sessions,
    too_many_attempts_are_refused_with_429_in_vietnamese,
    a_session_shows_the_departments_private_dataset,
    the_account_page_makes_a_token_once_and_changes_the_password,
);

/// The text of the page's notice (the login form's error).
fn notice(page: &Page) -> String {
    let start = page.body.find(r#"role="alert""#).expect("a notice");
    let start = start + page.body[start..].find('>').unwrap() + 1;
    let end = page.body[start..].find('<').unwrap();
    page.body[start..start + end].trim().to_owned()
}

async fn logging_in_sets_the_cookie_and_the_next_page_shows_the_user(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    let client = browser();

    let anonymous = get(&client, &app, "/").await;
    assert!(anonymous.body.contains(r#"href="/user/login""#));
    assert!(!anonymous.body.contains("/user/_logout"));

    let reply = try_login(&client, &app, "lan", PASSWORD).await;
    assert_eq!((reply.status, reply.location.as_str()), (303, "/user/me"));
    let cookie = reply.set_cookie.to_lowercase();
    assert!(cookie.contains("dataportal_session="), "{cookie}");
    assert!(cookie.contains("httponly") && cookie.contains("samesite=lax"));
    assert!(
        !cookie.contains("secure"),
        "an http site cannot use a Secure cookie"
    );

    let home = get(&client, &app, "/").await;
    assert!(home.body.contains(r#"href="/user/me""#) && home.body.contains("lan"));
    assert!(home.body.contains(r#"action="/user/_logout""#));
    assert!(home.body.contains("Đăng xuất"));
    let account = get(&client, &app, "/user/me").await;
    assert_eq!(account.status, 200);
    assert!(account.body.contains("lan@tayninh.gov.vn"));

    // The API acts as the logged-in user too.
    let me = read(
        client
            .get(format!("{}/api/3/action/api_token_list", app.address))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me.status, 200, "{}", me.body);

    // By e-mail, any case, and back to the page asked for.
    let other = browser();
    get(&other, &app, "/user/login?came_from=/dataset").await;
    let reply = post(
        &other,
        &app,
        "/user/login",
        &[
            ("login", "Lan@TayNinh.gov.vn"),
            ("password", PASSWORD),
            ("came_from", "/dataset"),
        ],
    )
    .await;
    assert_eq!((reply.status, reply.location.as_str()), (303, "/dataset"));
}

async fn a_wrong_password_and_an_unknown_user_get_the_same_vietnamese_message(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    let client = browser();
    let wrong = try_login(&client, &app, "lan", "không-phải-mật-khẩu").await;
    let unknown = try_login(&client, &app, "khong-co-ai", PASSWORD).await;
    assert_eq!((wrong.status, unknown.status), (403, 403));
    assert_eq!(notice(&wrong), notice(&unknown));
    assert!(
        notice(&wrong).contains("mật khẩu không đúng"),
        "{}",
        notice(&wrong)
    );
    // The name typed stays in the field; no session was made.
    assert!(wrong.body.contains(r#"value="lan""#));
    assert_eq!(get(&client, &app, "/user/me").await.status, 303);
}

async fn a_post_without_or_with_a_wrong_csrf_token_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;

    // The login form is checked by where it was posted from: another site's page, or a post
    // that says nothing of its origin, is refused (and opening the form stores nothing).
    let stranger = browser();
    let opened = stranger
        .get(format!("{}/user/login", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    assert!(
        opened.headers().get("set-cookie").is_none(),
        "opening the form stores no session"
    );
    for origin in [Some("http://lua-dao.example"), None] {
        let mut request = stranger
            .post(format!("{}/user/login", app.address))
            .form(&[("login", "lan"), ("password", PASSWORD)]);
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        let refused = read(request.send().await.unwrap()).await;
        assert_eq!(refused.status, 403, "{origin:?}: {}", refused.body);
        assert!(refused.body.contains("csrf_failed"));
        assert!(refused
            .body
            .contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"));
    }
    assert_eq!(get(&stranger, &app, "/user/me").await.status, 303);

    let client = logged_in(&app, "lan").await;
    let wrong = post(&client, &app, "/user/_logout", &[("_csrf_token", "sai")]).await;
    assert_eq!(wrong.status, 403);
    let missing = post(&client, &app, "/user/me/logout-everywhere", &[]).await;
    assert_eq!(missing.status, 403);
    let token = post(&client, &app, "/user/me/tokens", &[("name", "x")]).await;
    assert_eq!(token.status, 403);
    // Nothing happened: still logged in, no token made.
    let account = get(&client, &app, "/user/me").await;
    assert_eq!(account.status, 200);
    assert!(!account.body.contains("<td>x</td>"));

    // An API write through the session wants the token in X-CSRFToken.
    let api = |header: Option<String>| {
        let mut request = client
            .post(format!("{}/api/3/action/api_token_create", app.address))
            .json(&json!({"user": "lan", "name": "script"}));
        if let Some(value) = header {
            request = request.header("X-CSRFToken", value);
        }
        request.send()
    };
    assert_eq!(api(None).await.unwrap().status().as_u16(), 403);
    let with = api(Some(csrf(&account))).await.unwrap();
    assert_eq!(with.status().as_u16(), 200);
}

async fn logging_out_ends_the_session_even_for_a_kept_cookie(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    let client = browser();
    let reply = try_login(&client, &app, "lan", PASSWORD).await;
    let kept = reply
        .set_cookie
        .split(';')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let account = get(&client, &app, "/user/me").await;
    let out = post(
        &client,
        &app,
        "/user/_logout",
        &[("_csrf_token", &csrf(&account))],
    )
    .await;
    assert_eq!((out.status, out.location.as_str()), (303, "/"));
    assert_eq!(get(&client, &app, "/user/me").await.status, 303);
    let home = get(&client, &app, "/").await;
    assert!(home.body.contains(r#"href="/user/login""#));

    // The old cookie, sent again by hand, opens nothing: the session is gone on the server.
    let replay = read(
        Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap()
            .get(format!("{}/user/me", app.address))
            .header("Cookie", kept)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(replay.status, 303);
    assert!(replay.location.starts_with("/user/login"));
}

async fn logging_out_everywhere_ends_the_other_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    app.create_user("minh", false).await;
    let office = logged_in(&app, "lan").await;
    let phone = logged_in(&app, "lan").await;
    let colleague = logged_in(&app, "minh").await;
    let account = get(&office, &app, "/user/me").await;
    let out = post(
        &office,
        &app,
        "/user/me/logout-everywhere",
        &[("_csrf_token", &csrf(&account))],
    )
    .await;
    assert_eq!((out.status, out.location.as_str()), (303, "/user/login"));
    assert_eq!(get(&office, &app, "/user/me").await.status, 303);
    assert_eq!(get(&phone, &app, "/user/me").await.status, 303);
    assert_eq!(get(&colleague, &app, "/user/me").await.status, 200);
}

async fn too_many_attempts_are_refused_with_429_in_vietnamese(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    let client = browser();
    for _ in 0..10 {
        let wrong = try_login(&client, &app, "lan", "đoán-mò").await;
        assert_eq!(wrong.status, 403);
    }
    // Even the right password waits now.
    let locked = try_login(&client, &app, "lan", PASSWORD).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(notice(&locked).contains("Bạn đã thử đăng nhập quá nhiều lần"));
    assert!(notice(&locked).contains("phút"));
    // Another account from the same address still may (the address allows more).
    app.create_user("minh", false).await;
    assert_eq!(try_login(&client, &app, "minh", PASSWORD).await.status, 303);
}

async fn a_session_shows_the_departments_private_dataset(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-lao-dong").await;
    app.create_user("lan", false).await;
    app.member("so-lao-dong", "lan", "editor").await;
    let mut private = dataset("ho-ngheo", "so-lao-dong");
    private["private"] = json!(true);
    private["title"] = json!("Danh sách hộ nghèo");
    app.admin("package_create", private).await.ok();

    let anonymous = get(&browser(), &app, "/dataset/ho-ngheo").await;
    assert_eq!(anonymous.status, 404);
    let client = logged_in(&app, "lan").await;
    let page = get(&client, &app, "/dataset/ho-ngheo").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Danh sách hộ nghèo"));
}

async fn the_account_page_makes_a_token_once_and_changes_the_password(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("lan", false).await;
    let client = logged_in(&app, "lan").await;
    let other_device = logged_in(&app, "lan").await;
    let account = get(&client, &app, "/user/me").await;
    let made = post(
        &client,
        &app,
        "/user/me/tokens",
        &[("_csrf_token", &csrf(&account)), ("name", "báo cáo")],
    )
    .await;
    assert_eq!(made.status, 200);
    let marker = r#"id="new-token" class="token-value" type="text" readonly value=""#;
    let start = made.body.find(marker).expect("the new token") + marker.len();
    let token = &made.body[start..start + made.body[start..].find('"').unwrap()];
    assert!(token.starts_with("dp_"));
    let again = get(&client, &app, "/user/me").await;
    assert!(again.body.contains("báo cáo") && !again.body.contains(token));
    app.post("api_token_list", Some(token), json!({}))
        .await
        .ok();

    let wrong = post(
        &client,
        &app,
        "/user/me/password",
        &[
            ("_csrf_token", &csrf(&again)),
            ("old_password", "sai-mật-khẩu"),
            ("new_password", "mật-khẩu-mới-đủ-dài"),
            ("confirm_password", "mật-khẩu-mới-đủ-dài"),
        ],
    )
    .await;
    assert_eq!(wrong.status, 422);
    let changed = post(
        &client,
        &app,
        "/user/me/password",
        &[
            ("_csrf_token", &csrf(&again)),
            ("old_password", PASSWORD),
            ("new_password", "mật-khẩu-mới-đủ-dài"),
            ("confirm_password", "mật-khẩu-mới-đủ-dài"),
        ],
    )
    .await;
    assert_eq!(
        (changed.status, changed.location.as_str()),
        (303, "/user/me?done=password")
    );
    // This session goes on; the other device's ended; the new password logs in.
    assert_eq!(get(&client, &app, "/user/me").await.status, 200);
    assert_eq!(get(&other_device, &app, "/user/me").await.status, 303);
    let fresh = browser();
    assert_eq!(try_login(&fresh, &app, "lan", PASSWORD).await.status, 403);
    assert_eq!(
        try_login(&fresh, &app, "lan", "mật-khẩu-mới-đủ-dài")
            .await
            .status,
        303
    );
}
