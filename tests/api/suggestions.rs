//! The search box's suggestions: datasets, tags and organisations, public ones only.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(suggestions_complete_what_is_typed_and_keep_private_data_out);

async fn suggest(app: &TestApp, action: &str, key: &str, typed: &str) -> Value {
    app.get(action, None, &[(key, typed)]).await.ok()
}

fn names(list: &Value, key: Option<&str>) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| match key {
            Some(k) => item[k].as_str().unwrap().to_owned(),
            None => item.as_str().unwrap().to_owned(),
        })
        .collect()
}

async fn suggestions_complete_what_is_typed_and_keep_private_data_out(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.admin(
        "organization_patch",
        json!({"id": "so-tai-chinh", "title": "Sở Tài chính tỉnh Tây Ninh"}),
    )
    .await
    .ok();
    app.organization("so-y-te").await;
    app.admin("package_create", dataset("bang-gia-dat", "so-tai-chinh"))
        .await
        .ok();
    let mut standard = dataset("truong-dat-chuan", "so-y-te");
    standard["title"] = json!("Trường học đạt chuẩn quốc gia");
    standard["tags"] = json!([{"name": "đạt chuẩn"}, {"name": "giáo dục"}]);
    app.admin("package_create", standard).await.ok();
    let mut secret = dataset("gia-dat-noi-bo", "so-tai-chinh");
    secret["title"] = json!("Giá đất nội bộ chưa công bố");
    secret["tags"] = json!([{"name": "đất nội bộ"}]);
    secret["private"] = json!(true);
    app.admin("package_create", secret).await.ok();

    let datasets = suggest(&app, "package_autocomplete", "q", "bang gia d").await;
    assert_eq!(names(&datasets, Some("name")), ["bang-gia-dat"]);
    assert_eq!(datasets[0]["match_field"], "title");
    let datasets = suggest(&app, "package_autocomplete", "q", "Giá đất nộ").await;
    assert_eq!(datasets, json!([]), "private datasets are not suggested");

    let tags = suggest(&app, "tag_autocomplete", "query", "dat").await;
    assert_eq!(
        names(&tags, None),
        ["đạt chuẩn", "đất đai", "giá đất"],
        "tags starting with the typed text first; no tag of a private dataset"
    );
    let tags = suggest(&app, "tag_autocomplete", "query", "đất").await;
    assert_eq!(
        names(&tags, None),
        ["đất đai", "giá đất"],
        "accents typed are meant"
    );
    let listed = app.get("tag_list", None, &[]).await.ok();
    assert_eq!(
        names(&listed, None),
        ["giá đất", "giáo dục", "đạt chuẩn", "đất đai"]
    );

    let orgs = suggest(&app, "organization_autocomplete", "q", "tai ch").await;
    assert_eq!(names(&orgs, Some("name")), ["so-tai-chinh"]);
    let orgs = suggest(&app, "organization_autocomplete", "q", "Sở Y").await;
    assert_eq!(names(&orgs, Some("name")), ["so-y-te"]);
}
