//! Dataset lifecycle through the CKAN API.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(
    catalogue_basics_answer_like_ckan,
    dataset_create_show_update_patch_delete,
    update_without_resources_keeps_them,
    every_change_is_recorded_with_who_and_what,
);

async fn catalogue_basics_answer_like_ckan(backend: Backend) {
    let app = spawn_app(backend).await;
    let status = app.get("status_show", None, &[]).await.ok();
    assert_eq!(status["locale_default"], "vi");

    let licenses = app.get("license_list", None, &[]).await.ok();
    let ids: Vec<&str> = licenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    for id in [
        "vn-nd47-2020",
        "cc-by-4.0",
        "cc-by-sa-4.0",
        "cc0-1.0",
        "odc-by",
        "odc-odbl",
    ] {
        assert!(ids.contains(&id), "licence {id} missing from {ids:?}");
    }
    let nd47 = &licenses[0];
    assert!(nd47["title"]
        .as_str()
        .unwrap()
        .contains("Nghị định 47/2020"));

    let groups = app.get("group_list", None, &[]).await.ok();
    assert_eq!(groups.as_array().unwrap().len(), 12);
    let health = app.get("group_show", None, &[("id", "y-te")]).await.ok();
    assert_eq!(health["title"], "Y tế");

    // The API describes itself, for machines and for people.
    let openapi: serde_json::Value = app
        .client
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    for spec in dataportal::catalog::action_specs::ACTIONS {
        let path = &openapi["paths"][format!("/api/3/action/{}", spec.name)];
        assert!(
            path["post"].is_object(),
            "{} missing from OpenAPI",
            spec.name
        );
        assert_eq!(path["get"].is_object(), spec.read_only, "{}", spec.name);
    }
    assert!(
        openapi["paths"]["/api/3/action/resource_create"]["post"]["requestBody"]["content"]
            ["multipart/form-data"]
            .is_object()
    );
    // The dataset fields, limits included, come from the one table of them.
    let body = &openapi["paths"]["/api/3/action/package_create"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    for field in dataportal::catalog::datasets::fields::DATASET_FIELDS {
        let schema = &body["properties"][field.name];
        let limit = match schema["type"].as_str() {
            Some("array") => &schema["maxItems"],
            _ => &schema["maxLength"],
        };
        assert_eq!(
            limit.as_u64(),
            field.max.map(|m| m as u64),
            "{}",
            field.name
        );
    }
    assert_eq!(body["required"], json!(["name", "owner_org"]));
    let docs = app
        .client
        .get(format!("{}/api/docs", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.headers()["content-type"], "text/html; charset=utf-8");
    let docs = docs.text().await.unwrap();
    assert!(docs.contains("Tìm bộ dữ liệu / Search datasets"));
    assert!(docs.contains("facet.mincount"));

    let help = app
        .get("help_show", None, &[("name", "package_search")])
        .await
        .ok();
    assert!(help.as_str().unwrap().contains(":param fq_list"));
    app.get("help_show", None, &[("name", "khong_co")])
        .await
        .err(404);

    // The /api/action/ alias answers too, and the envelope has CKAN's keys.
    let response = app
        .client
        .get(format!("{}/api/action/package_list", app.address))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["success"], true);
    assert!(body["help"].as_str().unwrap().contains("package_list"));
}

async fn dataset_create_show_update_patch_delete(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.organization("so-tai-chinh").await;

    let created = app
        .admin(
            "package_create",
            dataset("bang-gia-dat-2025", "so-tai-chinh"),
        )
        .await
        .ok();
    assert_eq!(created["name"], "bang-gia-dat-2025");
    assert_eq!(created["owner_org"], org["id"]);
    assert_eq!(created["organization"]["name"], "so-tai-chinh");
    assert_eq!(created["tags"].as_array().unwrap().len(), 2);
    assert_eq!(created["num_tags"], 2);
    assert_eq!(created["groups"][0]["name"], "tai-chinh");
    assert_eq!(created["num_resources"], 1);
    assert_eq!(
        created["resources"][0]["format"], "CSV",
        "format guessed from the URL"
    );
    assert_eq!(created["frequency"], "annual");
    assert_eq!(created["spatial_code"], "72");
    assert_eq!(created["temporal_end"], "2029-12-31");
    assert_eq!(created["contact_email"], "qlgia@tayninh.gov.vn");
    assert_eq!(
        created["title_en"],
        "Land price table of Tay Ninh province 2025-2029"
    );
    assert_eq!(
        created["license_title"],
        "Creative Commons Ghi công 4.0 (CC-BY-4.0)"
    );
    assert_eq!(created["state"], "active");

    // By name and by id, anonymously.
    let by_name = app
        .get("package_show", None, &[("id", "bang-gia-dat-2025")])
        .await
        .ok();
    let id = created["id"].as_str().unwrap();
    let by_id = app.get("package_show", None, &[("id", id)]).await.ok();
    assert_eq!(by_name, by_id);
    assert_eq!(
        by_name["title"],
        "Bảng giá đất tỉnh Tây Ninh giai đoạn 2025–2029"
    );

    // Without a licence the default terms of use of Decree 47/2020 apply.
    let mut unlicensed = dataset("du-lieu-khong-giay-phep", "so-tai-chinh");
    unlicensed["license_id"] = json!("");
    let stored = app.admin("package_create", unlicensed).await.ok();
    assert_eq!(stored["license_id"], "vn-nd47-2020");

    // Update replaces fields; patch changes only what it names.
    let mut changed = by_name.clone();
    changed["title"] = json!("Bảng giá đất điều chỉnh năm 2026");
    changed["tags"] = json!([{"name": "giá đất"}]);
    let updated = app.admin("package_update", changed).await.ok();
    assert_eq!(updated["title"], "Bảng giá đất điều chỉnh năm 2026");
    assert_eq!(updated["num_tags"], 1);
    assert_eq!(updated["metadata_created"], created["metadata_created"]);
    assert!(updated["metadata_modified"].as_str() > created["metadata_modified"].as_str());

    let patched = app
        .admin("package_patch", json!({"id": id, "notes": "Ghi chú mới"}))
        .await
        .ok();
    assert_eq!(patched["notes"], "Ghi chú mới");
    assert_eq!(patched["title"], "Bảng giá đất điều chỉnh năm 2026");
    assert_eq!(patched["num_resources"], 1);

    let names = app.get("package_list", None, &[]).await.ok();
    assert_eq!(
        names,
        json!(["bang-gia-dat-2025", "du-lieu-khong-giay-phep"])
    );

    app.admin("package_delete", json!({"id": "bang-gia-dat-2025"}))
        .await
        .ok();
    app.get("package_show", None, &[("id", "bang-gia-dat-2025")])
        .await
        .err(404);
    let deleted = app
        .admin("package_show", json!({"id": "bang-gia-dat-2025"}))
        .await
        .ok();
    assert_eq!(deleted["state"], "deleted");
    assert_eq!(
        app.get("package_list", None, &[]).await.ok(),
        json!(["du-lieu-khong-giay-phep"])
    );
    // The name stays taken, as in CKAN, so links to the deleted dataset never point elsewhere.
    app.admin(
        "package_create",
        dataset("bang-gia-dat-2025", "so-tai-chinh"),
    )
    .await
    .err(409);
}

async fn update_without_resources_keeps_them(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-xay-dung").await;
    let created = app
        .admin("package_create", dataset("quy-hoach-chung", "so-xay-dung"))
        .await
        .ok();
    let mut dict = created.clone();
    dict.as_object_mut().unwrap().remove("resources");
    dict["title"] = json!("Quy hoạch chung đô thị Tây Ninh");
    let updated = app.admin("package_update", dict).await.ok();
    assert_eq!(updated["resources"], created["resources"]);

    // Resources listed in an update: known ids are kept, new ones added, missing ones removed.
    let mut dict = updated.clone();
    dict["resources"] = json!([
        {"id": created["resources"][0]["id"], "name": "Bản đồ (CSV)", "url": "https://example.gov.vn/a.csv"},
        {"name": "Thuyết minh", "url": "https://example.gov.vn/thuyet-minh.pdf"},
    ]);
    let updated = app.admin("package_update", dict).await.ok();
    assert_eq!(updated["num_resources"], 2);
    assert_eq!(updated["resources"][0]["id"], created["resources"][0]["id"]);
    assert_eq!(updated["resources"][0]["name"], "Bản đồ (CSV)");
    assert_eq!(updated["resources"][1]["format"], "PDF");

    let resource_id = updated["resources"][1]["id"].as_str().unwrap().to_owned();
    let shown = app
        .get("resource_show", None, &[("id", &resource_id)])
        .await
        .ok();
    assert_eq!(shown["name"], "Thuyết minh");
    let patched = app
        .admin(
            "resource_patch",
            json!({"id": resource_id, "description": "Bản thuyết minh tổng hợp"}),
        )
        .await
        .ok();
    assert_eq!(patched["name"], "Thuyết minh");
    assert_eq!(patched["description"], "Bản thuyết minh tổng hợp");
    app.admin("resource_delete", json!({"id": resource_id}))
        .await
        .ok();
    app.get("resource_show", None, &[("id", &resource_id)])
        .await
        .err(404);
    let after = app
        .get("package_show", None, &[("id", "quy-hoach-chung")])
        .await
        .ok();
    assert_eq!(after["num_resources"], 1);
}

async fn every_change_is_recorded_with_who_and_what(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-y-te").await;
    let editor = app.create_user("bientap", false).await;
    app.member("so-y-te", "bientap", "editor").await;
    let created = app
        .post(
            "package_create",
            Some(&editor),
            dataset("co-so-y-te", "so-y-te"),
        )
        .await
        .ok();
    app.post(
        "package_patch",
        Some(&editor),
        json!({"id": "co-so-y-te", "title": "Danh sách cơ sở y tế"}),
    )
    .await
    .ok();
    app.admin("resource_create", json!({"package_id": "co-so-y-te", "name": "API", "url": "https://api.tayninh.gov.vn/y-te"})).await.ok();

    let activities = app
        .get("package_activity_list", None, &[("id", "co-so-y-te")])
        .await
        .ok();
    let activities = activities.as_array().unwrap();
    assert_eq!(activities.len(), 3, "{activities:?}");
    assert_eq!(activities[2]["activity_type"], "new package");
    assert_eq!(activities[1]["activity_type"], "changed package");
    assert_eq!(activities[1]["data"]["changes"], json!(["title"]));
    let editor_id = activities[2]["user_id"].as_str().unwrap();
    assert_eq!(created["creator_user_id"].as_str(), Some(editor_id));
    // Each record holds the whole dataset as it was after the change.
    assert_eq!(
        activities[1]["data"]["package"]["title"],
        "Danh sách cơ sở y tế"
    );
    assert_eq!(activities[0]["data"]["package"]["num_resources"], 2);
    assert!(activities[0]["user_id"].as_str() != Some(editor_id));
}
