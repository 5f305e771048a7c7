//! Concurrent updates of one dataset: every change lands, none is lost, nothing fails.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(concurrent_patches_of_one_dataset_all_land);

async fn concurrent_patches_of_one_dataset_all_land(backend: Backend) {
    let app = std::sync::Arc::new(spawn_app(backend).await);
    app.organization("so-tai-chinh").await;
    app.admin("package_create", dataset("ngan-sach", "so-tai-chinh"))
        .await
        .ok();
    let fields = [
        "notes",
        "version",
        "author",
        "maintainer",
        "url",
        "contact_name",
        "notes_en",
        "spatial_name",
        "title_en",
        "author_email",
    ];
    let mut tasks = Vec::new();
    for (i, field) in fields.into_iter().enumerate() {
        let app = app.clone();
        let value = if field == "author_email" {
            "tc@tayninh.gov.vn".to_owned()
        } else if field == "url" {
            format!("https://stc.tayninh.gov.vn/{i}")
        } else {
            format!("giá trị {i}")
        };
        tasks.push(tokio::spawn(async move {
            app.admin(
                "package_patch",
                json!({"id": "ngan-sach", field: value.clone()}),
            )
            .await
            .ok();
            (field, value)
        }));
    }
    let mut expected = Vec::new();
    for task in tasks {
        expected.push(task.await.unwrap());
    }
    let stored = app
        .get("package_show", None, &[("id", "ngan-sach")])
        .await
        .ok();
    for (field, value) in expected {
        assert_eq!(stored[field], value.as_str(), "lost update of {field}");
    }
    assert_eq!(stored["num_tags"], 2);
    assert_eq!(stored["num_resources"], 1);
    let history = app
        .get(
            "package_activity_list",
            None,
            &[("id", "ngan-sach"), ("limit", "100")],
        )
        .await
        .ok();
    assert_eq!(history.as_array().unwrap().len(), 11);
}
