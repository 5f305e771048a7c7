//! Organisations: the province's departments.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(organizations_are_listed_shown_and_updated);

async fn organizations_are_listed_shown_and_updated(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .admin("organization_create", json!({"name": "so-van-hoa-the-thao-va-du-lich",
            "title": "Sở Văn hóa, Thể thao và Du lịch", "title_en": "Department of Culture, Sports and Tourism"}))
        .await
        .ok();
    assert_eq!(created["is_organization"], true);
    app.organization("so-tu-phap").await;
    app.admin(
        "package_create",
        dataset("di-tich-lich-su", "so-van-hoa-the-thao-va-du-lich"),
    )
    .await
    .ok();

    let all = app
        .get(
            "organization_list",
            None,
            &[("all_fields", "true"), ("sort", "title asc")],
        )
        .await
        .ok();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["title"], "Sở so-tu-phap");
    assert_eq!(all[1]["package_count"], 1);
    let shown = app
        .get(
            "organization_show",
            None,
            &[("id", "so-van-hoa-the-thao-va-du-lich")],
        )
        .await
        .ok();
    assert_eq!(
        shown["title_en"],
        "Department of Culture, Sports and Tourism"
    );

    let error = app
        .admin("organization_create", json!({"name": "so-tu-phap"}))
        .await
        .err(409);
    assert!(error.get("name").is_some());
    let error = app
        .admin("organization_create", json!({"name": "Sở Tư pháp"}))
        .await
        .err(409);
    assert!(error["name"][0].as_str().unwrap().contains("so-tu-phap"));

    // Renaming keeps the datasets attached (they point at the id).
    let renamed = app
        .admin(
            "organization_patch",
            json!({"id": "so-van-hoa-the-thao-va-du-lich", "name": "so-vhttdl"}),
        )
        .await
        .ok();
    assert_eq!(renamed["title"], "Sở Văn hóa, Thể thao và Du lịch");
    let ds = app
        .get("package_show", None, &[("id", "di-tich-lich-su")])
        .await
        .ok();
    assert_eq!(ds["organization"]["name"], "so-vhttdl");
    let found = app
        .get("package_search", None, &[("fq", "organization:so-vhttdl")])
        .await
        .ok();
    assert_eq!(found["count"], 1);
}
