//! The privacy gate before publication (issue 12) through the API: a CSV with CCCD and phone
//! numbers (also one in Windows-1258 with NFD names, and a workbook) is stopped with masked
//! findings and nothing published; after the checklist it goes through; clean files publish
//! as before; `require_review_always` forces the checklist; anonymous users never see a
//! review; bad checklist input is a clear 4xx.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend, Reply, TestApp,
};
use crate::pages_resource::{windows_1258, workbook};

both_backends!(
    a_csv_with_cccd_and_phone_numbers_is_stopped_until_the_checklist_is_confirmed,
    legacy_encodings_and_workbooks_are_stopped_when_added_to_a_public_dataset,
    clean_files_publish_without_any_review,
    require_review_always_forces_the_checklist,
    bad_checklist_input_is_a_clear_4xx_and_stores_nothing,
);

/// A list of people as a department might export it by mistake.
pub const PEOPLE: &str = "STT,Họ và tên,Ngày sinh,Số CCCD,Số điện thoại\n\
    1,Nguyễn Văn An,15/03/1990,072090001234,0912 345 678\n\
    2,Trần Thị Bình,02/11/1985,072185004321,0386.123.456\n\
    3,Lê Văn Cường,30/07/2001,072201009876,+84 987 654 321\n";

/// Every personal value of [`PEOPLE`], as written and as digits only.
const WHOLE_VALUES: &[&str] = &[
    "072090001234",
    "072185004321",
    "072201009876",
    "0912 345 678",
    "0912345678",
    "0386.123.456",
    "0386123456",
    "987 654 321",
    "Nguyễn Văn An",
    "Trần Thị Bình",
];

/// Open data as it should be: ward codes, postal codes, dates, budget figures.
const CLEAN: &str = "Mã xã,Tên đơn vị,Mã bưu chính,Ngày cập nhật,Dự toán (đồng)\n\
    25747,Phường Tân Ninh,840000,15/03/2024,125000000000\n\
    25750,Xã Hòa Thành,840100,2024-12-31,987.654.321.012\n";

/// The app, the organisation `so-y-te` and its editor `lan` (with her token).
async fn with_editor(app: &TestApp) -> String {
    let token = app.create_user("lan", false).await;
    app.organization("so-y-te").await;
    app.member("so-y-te", "lan", "editor").await;
    token
}

/// Creates a dataset of `so-y-te` without resources as `token`.
async fn create(app: &TestApp, token: &str, name: &str, state: &str, private: bool) -> Reply {
    let mut dict = dataset(name, "so-y-te");
    dict["resources"] = json!([]);
    dict["state"] = json!(state);
    dict["private"] = json!(private);
    app.post("package_create", Some(token), dict).await
}

/// Uploads a file as a new resource of `package`.
pub async fn upload(
    app: &TestApp,
    token: &str,
    package: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Reply {
    let form = Form::new()
        .text("package_id", package.to_owned())
        .part("upload", Part::bytes(bytes).file_name(name.to_owned()));
    let response = app
        .client
        .post(format!("{}/api/3/action/resource_create", app.address))
        .header("Authorization", token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    Reply {
        status,
        body: response.json().await.unwrap(),
    }
}

/// The answers of a confirmed checklist.
pub fn answers() -> Value {
    json!({
        "purpose": "Danh sách cán bộ y tế xã công khai theo Luật Khám bệnh, chữa bệnh",
        "minimised": true,
        "linkage": true,
        "sensitive": true,
        "accountable": true,
    })
}

fn publish(name: &str) -> Value {
    json!({"id": name, "state": "active", "private": false})
}

/// The findings of a refusal, as (column, kind, count).
fn findings(error: &Value) -> Vec<(String, String, u64)> {
    error["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| file["findings"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["column"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn assert_masked(body: &Value) {
    let text = body.to_string();
    for whole in WHOLE_VALUES {
        assert!(!text.contains(whole), "{whole} shown whole: {text}");
    }
}

async fn a_csv_with_cccd_and_phone_numbers_is_stopped_until_the_checklist_is_confirmed(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let lan = with_editor(&app).await;
    create(&app, &lan, "can-bo-y-te", "draft", false).await.ok();
    let file = upload(&app, &lan, "can-bo-y-te", "can-bo.csv", PEOPLE.into())
        .await
        .ok();

    let refused = app
        .post("package_patch", Some(&lan), publish("can-bo-y-te"))
        .await;
    assert_masked(&refused.body);
    let error = refused.err(409);
    assert_eq!(error["code"], "privacy_review_required");
    assert_eq!(error["__type"], "Validation Error");
    assert_eq!(error["review_action"], "package_privacy_review");
    let found = findings(&error);
    assert!(
        found.contains(&("Số CCCD".into(), "cccd".into(), 3)),
        "{found:?}"
    );
    assert!(found.contains(&("Số điện thoại".into(), "phone".into(), 3)));
    assert!(found.contains(&("Họ và tên".into(), "name_with_birth_date".into(), 3)));
    let cccd = &error["findings"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "cccd")
        .unwrap()["samples"];
    assert_eq!(cccd[0], json!({"row": 2, "value": "0720******34"}));
    assert_eq!(error["findings"][0]["resource_id"], file["id"]);
    assert_eq!(error["findings"][0]["hash"], file["hash"]);

    // Nothing published, nothing changed: still a draft nobody else sees.
    let stored = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(stored["state"], "draft");
    assert_eq!(stored["num_resources"], 1);
    assert!(stored.get("privacy_reviews").is_none());
    app.get("package_show", None, &[("id", "can-bo-y-te")])
        .await
        .err(404);

    // The editor reads where it stands, confirms the checklist, and publishes.
    let status = app
        .get("package_privacy_show", Some(&lan), &[("id", "can-bo-y-te")])
        .await
        .ok();
    assert_eq!(status["review_required"], true);
    assert_eq!(status["checklist"].as_array().unwrap().len(), 5);
    assert_masked(&status);
    let review = app
        .post(
            "package_privacy_review",
            Some(&lan),
            json!({"id": "can-bo-y-te", "answers": answers()}),
        )
        .await
        .ok();
    assert_eq!(review["reviewer"], "lan");
    assert_eq!(review["files"][0]["hash"], file["hash"]);
    assert_eq!(review["answers"]["linkage"], true);
    let published = app
        .post("package_patch", Some(&lan), publish("can-bo-y-te"))
        .await
        .ok();
    assert_eq!(published["state"], "active");

    // Editors and sysadmins see the review with the dataset; anonymous users and other
    // users do not.
    let shown = app
        .get("package_show", Some(&lan), &[("id", "can-bo-y-te")])
        .await
        .ok();
    let reviews = shown["privacy_reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["reviewer"], "lan");
    assert!(reviews[0]["reviewed_at"]
        .as_str()
        .unwrap()
        .starts_with("20"));
    assert_masked(&shown);
    let admin = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(admin["privacy_reviews"].as_array().unwrap().len(), 1);
    let anonymous = app
        .get("package_show", None, &[("id", "can-bo-y-te")])
        .await
        .ok();
    assert!(anonymous.get("privacy_reviews").is_none(), "{anonymous}");
    let outsider = app.create_user("khach", false).await;
    let other = app
        .get("package_show", Some(&outsider), &[("id", "can-bo-y-te")])
        .await
        .ok();
    assert!(other.get("privacy_reviews").is_none());
    app.get("package_privacy_show", None, &[("id", "can-bo-y-te")])
        .await
        .err(403);
    app.get(
        "package_privacy_show",
        Some(&outsider),
        &[("id", "can-bo-y-te")],
    )
    .await
    .err(403);

    // A new file needs a new review: it is refused on the public dataset, and not stored.
    let more = PEOPLE.replace("072090001234", "001090012345");
    let refused = upload(&app, &lan, "can-bo-y-te", "can-bo-2.csv", more.into()).await;
    assert_eq!(refused.err(409)["code"], "privacy_review_required");
    let stored = app
        .admin("package_show", json!({"id": "can-bo-y-te"}))
        .await
        .ok();
    assert_eq!(stored["num_resources"], 1);
}

async fn legacy_encodings_and_workbooks_are_stopped_when_added_to_a_public_dataset(
    backend: Backend,
) {
    use unicode_normalization::UnicodeNormalization;
    let app = spawn_app(backend).await;
    let lan = with_editor(&app).await;
    // Created public without files: nothing to scan, published as before.
    create(&app, &lan, "ho-ngheo", "active", false).await.ok();

    let nfd: String = PEOPLE.replace(',', ";").nfd().collect();
    let legacy = windows_1258(&nfd);
    assert!(std::str::from_utf8(&legacy).is_err(), "really legacy bytes");
    let refused = upload(&app, &lan, "ho-ngheo", "ho-ngheo.csv", legacy).await;
    assert_masked(&refused.body);
    let error = refused.err(409);
    let found = findings(&error);
    assert!(
        found.contains(&("Số CCCD".into(), "cccd".into(), 3)),
        "{found:?}"
    );
    assert!(found.contains(&("Họ và tên".into(), "name_with_birth_date".into(), 3)));

    let rows: Vec<Vec<&str>> = PEOPLE.lines().map(|l| l.split(',').collect()).collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let book = workbook(&[
        ("Tổng hợp", &[&["Xã", "Số hộ"], &["Hòa Thành", "120"]]),
        ("Danh sách", &rows),
    ]);
    let refused = upload(&app, &lan, "ho-ngheo", "ho-ngheo.xlsx", book).await;
    assert_masked(&refused.body);
    let error = refused.err(409);
    let found = findings(&error);
    assert!(
        found.contains(&("Số CCCD".into(), "cccd".into(), 3)),
        "{found:?}"
    );
    assert!(found.contains(&("Số điện thoại".into(), "phone".into(), 3)));
    assert_eq!(error["findings"][0]["findings"][0]["sheet"], "Danh sách");

    let stored = app
        .get("package_show", None, &[("id", "ho-ngheo")])
        .await
        .ok();
    assert_eq!(stored["num_resources"], 0, "neither file was stored");
}

async fn clean_files_publish_without_any_review(backend: Backend) {
    let app = spawn_app(backend).await;
    let lan = with_editor(&app).await;
    create(&app, &lan, "ngan-sach-xa", "draft", false)
        .await
        .ok();
    upload(&app, &lan, "ngan-sach-xa", "ngan-sach.csv", CLEAN.into())
        .await
        .ok();
    let published = app
        .post("package_patch", Some(&lan), publish("ngan-sach-xa"))
        .await
        .ok();
    assert_eq!(published["state"], "active");
    assert!(published.get("privacy_reviews").is_none());
    // A clean file added to the public dataset goes through too.
    upload(
        &app,
        &lan,
        "ngan-sach-xa",
        "ngan-sach-2025.csv",
        CLEAN.into(),
    )
    .await
    .ok();
    let shown = app
        .get("package_show", Some(&lan), &[("id", "ngan-sach-xa")])
        .await
        .ok();
    assert_eq!(shown["num_resources"], 2);
    assert!(
        shown.get("privacy_reviews").is_none(),
        "no review was asked for"
    );
}

async fn require_review_always_forces_the_checklist(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg_database) = fresh_database(backend, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.privacy.require_review_always = true;
    let app = spawn_with(settings, backend, pg_database, dir).await;
    let lan = with_editor(&app).await;

    let refused = create(&app, &lan, "ngan-sach-xa", "active", false).await;
    let error = refused.err(409);
    assert_eq!(error["code"], "privacy_review_required");
    app.get("package_show", None, &[("id", "ngan-sach-xa")])
        .await
        .err(404);

    create(&app, &lan, "ngan-sach-xa", "draft", false)
        .await
        .ok();
    upload(&app, &lan, "ngan-sach-xa", "ngan-sach.csv", CLEAN.into())
        .await
        .ok();
    let refused = app
        .post("package_patch", Some(&lan), publish("ngan-sach-xa"))
        .await;
    let error = refused.err(409);
    assert_eq!(error["code"], "privacy_review_required");
    assert!(
        findings(&error).is_empty(),
        "clean, but the review is asked for all the same"
    );
    app.post(
        "package_privacy_review",
        Some(&lan),
        json!({"id": "ngan-sach-xa", "answers": answers()}),
    )
    .await
    .ok();
    app.post("package_patch", Some(&lan), publish("ngan-sach-xa"))
        .await
        .ok();
    // A private dataset is not a publication: no review asked.
    create(&app, &lan, "noi-bo", "active", true).await.ok();
}

async fn bad_checklist_input_is_a_clear_4xx_and_stores_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let lan = with_editor(&app).await;
    create(&app, &lan, "can-bo-y-te", "draft", false).await.ok();
    upload(&app, &lan, "can-bo-y-te", "can-bo.csv", PEOPLE.into())
        .await
        .ok();
    let review = |answers: Value| {
        app.post(
            "package_privacy_review",
            Some(&lan),
            json!({"id": "can-bo-y-te", "answers": answers}),
        )
    };

    let error = app
        .post(
            "package_privacy_review",
            Some(&lan),
            json!({"id": "can-bo-y-te"}),
        )
        .await
        .err(409);
    assert_eq!(error["code"], "validation_error");
    assert!(error["answers"].is_array(), "{error}");
    let error = review(json!("không phải đối tượng")).await.err(409);
    assert!(error["answers"].is_array(), "{error}");
    let mut unconfirmed = answers();
    unconfirmed["linkage"] = json!(false);
    unconfirmed["purpose"] = json!("vì");
    unconfirmed["thêm"] = json!(true);
    let error = review(unconfirmed).await.err(409);
    assert!(
        error["answers.linkage"][0]
            .as_str()
            .unwrap()
            .contains("xác nhận"),
        "{error}"
    );
    assert!(error["answers.purpose"].is_array());
    assert!(error["answers.thêm"].is_array());
    let english = app
        .client
        .post(format!(
            "{}/api/3/action/package_privacy_review?lang=en",
            app.address
        ))
        .header("Authorization", &lan)
        .json(&json!({"id": "can-bo-y-te", "answers": {"minimised": "perhaps"}}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        english["error"]["answers.minimised"][0]
            .as_str()
            .unwrap()
            .contains("true or false"),
        "{english}"
    );

    app.post(
        "package_privacy_review",
        None,
        json!({"id": "can-bo-y-te", "answers": answers()}),
    )
    .await
    .err(403);
    let outsider = app.create_user("khach", false).await;
    app.post(
        "package_privacy_review",
        Some(&outsider),
        json!({"id": "can-bo-y-te", "answers": answers()}),
    )
    .await
    .err(404);
    app.post(
        "package_privacy_review",
        Some(&lan),
        json!({"id": "khong-co", "answers": answers()}),
    )
    .await
    .err(404);

    // Nothing was recorded: publication is still refused.
    let status = app
        .get("package_privacy_show", Some(&lan), &[("id", "can-bo-y-te")])
        .await
        .ok();
    assert_eq!(status["reviews"], json!([]));
    app.post("package_patch", Some(&lan), publish("can-bo-y-te"))
        .await
        .err(409);
}
