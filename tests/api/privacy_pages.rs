//! The privacy gate in the browser's way: the dataset form's "publish" of a draft whose CSV
//! holds CCCD and phone numbers lands on the review page (findings in Vietnamese, masked), the
//! draft unpublished; an unticked box comes back with its message; the confirmed checklist
//! publishes. Anonymous visitors go to the login page; a POST without the CSRF token changes
//! nothing.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};
use crate::privacy::{upload, PEOPLE};
use crate::staff_client::{browser, csrf, get, logged_in, post};

both_backends!(the_form_s_publish_goes_through_the_review_page,);

async fn the_form_s_publish_goes_through_the_review_page(backend: Backend) {
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

    let client = logged_in(&app, "lan").await;
    let form = get(&client, &app, "/dataset/edit/can-bo-y-te").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = csrf(&form);
    let fields = [
        ("_csrf_token", token.as_str()),
        ("was_state", "draft"),
        ("title", "Danh sách cán bộ y tế xã (đã sửa)"),
        ("name", "can-bo-y-te"),
        ("owner_org", "so-y-te"),
        ("license_id", "cc-by-4.0"),
        ("frequency", "annual"),
        ("private", "false"),
        ("save", "publish"),
    ];
    let saved = post(&client, &app, "/dataset/edit/can-bo-y-te", &fields).await;
    assert_eq!(
        (saved.status, saved.location.as_str()),
        (303, "/dataset/can-bo-y-te/privacy"),
        "{}",
        saved.body
    );
    let stored = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(stored["state"], "draft", "not published");
    assert_eq!(
        stored["title"], "Danh sách cán bộ y tế xã (đã sửa)",
        "the other edits kept"
    );

    let page = get(&client, &app, "/dataset/can-bo-y-te/privacy").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Số căn cước công dân"));
    assert!(page.body.contains("Số điện thoại"));
    assert!(page.body.contains("Họ tên kèm ngày sinh"));
    assert!(page.body.contains("0720******34"));
    assert!(page.body.contains("0912 *** 678"));
    for whole in [
        "072090001234",
        "0912 345 678",
        "0912345678",
        "Nguyễn Văn An",
    ] {
        assert!(!page.body.contains(whole), "{whole} shown whole");
    }
    let token = csrf(&page);

    // Without the CSRF token: refused, nothing recorded.
    let forged = post(
        &client,
        &app,
        "/dataset/can-bo-y-te/privacy",
        &[
            ("purpose", "Công khai theo quy định của Luật"),
            ("minimised", "on"),
        ],
    )
    .await;
    assert_eq!(forged.status, 403);

    // A box left unticked: the page comes back with the message next to it.
    let purpose = "Danh sách cán bộ y tế xã công khai theo Luật Khám bệnh, chữa bệnh";
    let partial = post(
        &client,
        &app,
        "/dataset/can-bo-y-te/privacy",
        &[
            ("_csrf_token", token.as_str()),
            ("purpose", purpose),
            ("minimised", "on"),
            ("sensitive", "on"),
            ("accountable", "on"),
        ],
    )
    .await;
    assert_eq!(partial.status, 409, "{}", partial.body);
    assert!(partial
        .body
        .contains("Cần xác nhận mục này trước khi công bố"));
    assert!(partial.body.contains(purpose), "the answer kept");
    let stored = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(stored["state"], "draft");

    let done = post(
        &client,
        &app,
        "/dataset/can-bo-y-te/privacy",
        &[
            ("_csrf_token", token.as_str()),
            ("purpose", purpose),
            ("minimised", "on"),
            ("linkage", "on"),
            ("sensitive", "on"),
            ("accountable", "on"),
        ],
    )
    .await;
    assert_eq!(
        (done.status, done.location.as_str()),
        (303, "/dataset/can-bo-y-te"),
        "{}",
        done.body
    );
    let stored = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(stored["state"], "active");
    assert_eq!(stored["private"], false);
    assert_eq!(stored["privacy_reviews"][0]["answers"]["purpose"], purpose);

    let after = get(&client, &app, "/dataset/can-bo-y-te/privacy").await;
    assert!(after.body.contains("Đã xem xét"));
    assert!(after.body.contains("lan đã xác nhận"));

    let anonymous = get(&browser(), &app, "/dataset/can-bo-y-te/privacy").await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location.starts_with("/user/login"));
}
