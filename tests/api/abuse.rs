//! The junk and abuse suite: what a hostile probe of the API found (issue 7), one case each,
//! on both backends. It grows with every finding.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend, TestApp,
};

both_backends!(
    client_resource_ids_cannot_reach_other_files,
    reused_resource_ids_are_refused_without_database_text,
    control_characters_are_refused_or_not_found,
    history_shows_only_what_the_reader_could_see_then,
    outsiders_are_refused_before_names_are_checked,
    resources_of_hidden_datasets_answer_as_missing_resources,
    only_web_links_are_accepted,
    file_names_lose_bidirectional_controls,
    failed_writes_leave_no_uploaded_file,
    start_up_rekeys_unsafe_ids_sweeps_files_and_catches_up_the_index,
    writes_during_a_rebuild_are_listed_once,
    searches_answer_503_while_the_index_is_rebuilt_from_scratch,
);

/// An editor of `org` with a token.
async fn editor_of(app: &TestApp, user: &str, org: &str) -> String {
    let token = app.create_user(user, false).await;
    app.member(org, user, "editor").await;
    token
}

async fn upload(
    app: &TestApp,
    token: &str,
    action: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let mut form = Form::new();
    for (key, value) in fields {
        form = form.text(key.to_string(), value.to_string());
    }
    form = form.part(
        "upload",
        Part::bytes(bytes.to_vec()).file_name(file_name.to_owned()),
    );
    let response = app
        .client
        .post(format!("{}/api/3/action/{action}", app.address))
        .header("Authorization", token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Every file under a folder, as paths relative to it.
fn files_under(root: &std::path::Path) -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

async fn client_resource_ids_cannot_reach_other_files(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.organization("so-b").await;
    let a = editor_of(&app, "bien-tap-a", "so-a").await;
    let victim = app
        .admin("package_create", dataset("cua-so-b", "so-b"))
        .await
        .ok();
    let victim_resource = victim["resources"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = upload(
        &app,
        &app.admin_token,
        "resource_patch",
        &[("id", &victim_resource)],
        "gia.csv",
        b"ma,gia\n1,100\n",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let before = files_under(&app.data_dir.join("files"));

    for hostile in [
        format!("../{}", &victim_resource[victim_resource.len() - 2..]),
        format!("../0c/{victim_resource}"),
        "../../../../tmp/victim".to_owned(),
        "abc".to_owned(),
    ] {
        let mut dict = dataset("cua-so-a", "so-a");
        dict["resources"][0]["id"] = json!(hostile);
        let error = app.post("package_create", Some(&a), dict).await.err(409);
        assert!(error["resources[0].id"].is_array(), "{hostile}: {error}");
        // Uploads to such an id find nothing to write to.
        let (status, body) = upload(
            &app,
            &a,
            "resource_patch",
            &[("id", &hostile)],
            "x.csv",
            b"owned",
        )
        .await;
        assert_eq!(status, 404, "{hostile}: {body}");
    }
    assert_eq!(files_under(&app.data_dir.join("files")), before);
    assert!(!std::path::Path::new("/tmp/victim").exists());
    let download = app
        .client
        .get(format!(
            "{}/dataset/cua-so-b/resource/{victim_resource}/download",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(download.text().await.unwrap(), "ma,gia\n1,100\n");

    // A UUID of the client's own making is kept, as CKAN clients copying a catalogue expect.
    let own = "0194f3a2-7b1c-7d2e-9f00-123456789abc";
    let mut dict = dataset("cua-so-a", "so-a");
    dict["resources"][0]["id"] = json!(own);
    let created = app.post("package_create", Some(&a), dict).await.ok();
    assert_eq!(created["resources"][0]["id"], own);
}

async fn reused_resource_ids_are_refused_without_database_text(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    let first = app
        .admin("package_create", dataset("thu-nhat", "so-a"))
        .await
        .ok();
    let taken = first["resources"][0]["id"].clone();
    let mut dict = dataset("thu-hai", "so-a");
    dict["resources"][0]["id"] = taken;
    let reply = app.admin("package_create", dict).await;
    let text = reply.body.to_string().to_lowercase();
    let error = reply.err(409);
    assert!(error["resources[0].id"].is_array(), "{error}");
    for leak in [
        "unique",
        "constraint",
        "duplicate key",
        "resources.id",
        "pkey",
    ] {
        assert!(
            !text.contains(leak),
            "database text leaked ({leak}): {text}"
        );
    }
    app.get("package_show", None, &[("id", "thu-hai")])
        .await
        .err(404);
}

async fn control_characters_are_refused_or_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.admin("package_create", dataset("co-that", "so-a"))
        .await
        .ok();
    // In identifiers: not found, on both backends (PostgreSQL refuses NUL in text).
    for id in ["co-that\u{0}", "\u{0}", "co\u{1b}that"] {
        let error = app.get("package_show", None, &[("id", id)]).await.err(404);
        assert_eq!(error["__type"], "Not Found Error");
        app.post("resource_show", None, json!({"id": id}))
            .await
            .err(404);
        app.post("organization_show", None, json!({"id": id}))
            .await
            .err(404);
    }
    let download = app
        .client
        .get(format!(
            "{}/dataset/co-that/resource/%00/download",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 404);
    // Anywhere else: a 409 naming the field.
    let mut dict = dataset("co-nul", "so-a");
    dict["title"] = json!("Giá đất\u{0}");
    let error = app.admin("package_create", dict).await.err(409);
    assert!(error["title"].is_array(), "{error}");
    let mut dict = dataset("co-nul", "so-a");
    dict["tags"] = json!([{"name": "giá\u{7}đất"}]);
    let error = app.admin("package_create", dict).await.err(409);
    assert!(error["tags.0.name"].is_array(), "{error}");
    let error = app
        .get("package_search", None, &[("q", "giá\u{0}đất")])
        .await
        .err(409);
    assert!(error["q"].is_array(), "{error}");
    // Tabs and line breaks are text.
    let mut dict = dataset("co-xuong-dong", "so-a");
    dict["notes"] = json!("Dòng một\r\n\tDòng hai");
    app.admin("package_create", dict).await.ok();
    app.get("package_show", None, &[("id", "co-nul")])
        .await
        .err(404);
}

async fn history_shows_only_what_the_reader_could_see_then(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    let member = app.create_user("thanh-vien", false).await;
    app.member("so-a", "thanh-vien", "member").await;
    let mut dict = dataset("bi-mat", "so-a");
    dict["private"] = json!(true);
    dict["title"] = json!("Tiêu đề nội bộ");
    dict["notes"] = json!("http://noi-bo.tayninh.gov.vn/bao-cao-mat");
    app.admin("package_create", dict).await.ok();
    app.admin(
        "package_patch",
        json!({"id": "bi-mat", "private": false, "title": "Tiêu đề công khai", "notes": ""}),
    )
    .await
    .ok();

    let public = app
        .get("package_activity_list", None, &[("id", "bi-mat")])
        .await
        .ok();
    assert_eq!(public.as_array().unwrap().len(), 1, "{public}");
    let text = public.to_string();
    assert!(
        !text.contains("nội bộ") && !text.contains("noi-bo"),
        "{text}"
    );
    let as_member = app
        .get("package_activity_list", Some(&member), &[("id", "bi-mat")])
        .await
        .ok();
    assert_eq!(as_member.as_array().unwrap().len(), 2);
    let as_admin = app
        .get(
            "package_activity_list",
            Some(&app.admin_token),
            &[("id", "bi-mat")],
        )
        .await
        .ok();
    assert_eq!(as_admin.as_array().unwrap().len(), 2);
}

async fn outsiders_are_refused_before_names_are_checked(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.organization("so-b").await;
    let outsider = editor_of(&app, "bien-tap-b", "so-b").await;
    for state in ["private", "draft", "deleted"] {
        let name = format!("an-{state}");
        let mut dict = dataset(&name, "so-a");
        match state {
            "private" => dict["private"] = json!(true),
            "draft" => dict["state"] = json!("draft"),
            _ => {}
        }
        app.admin("package_create", dict).await.ok();
        if state == "deleted" {
            app.admin("package_delete", json!({"id": name})).await.ok();
        }
        // Into the organisation they do not edit: 403, whether or not the name exists.
        let error = app
            .post("package_create", Some(&outsider), dataset(&name, "so-a"))
            .await
            .err(403);
        assert_eq!(error["__type"], "Authorization Error");
        app.post(
            "package_create",
            Some(&outsider),
            dataset("chua-co-ai-dung", "so-a"),
        )
        .await
        .err(403);
        // Naming no real organisation: every field is reported, but not the name.
        let error = app
            .post(
                "package_create",
                Some(&outsider),
                dataset(&name, "khong-co"),
            )
            .await
            .err(409);
        assert!(
            error["owner_org"].is_array() && error.get("name").is_none(),
            "{error}"
        );
    }
}

async fn resources_of_hidden_datasets_answer_as_missing_resources(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.organization("so-b").await;
    let outsider = editor_of(&app, "bien-tap-b", "so-b").await;
    let mut dict = dataset("kin", "so-a");
    dict["private"] = json!(true);
    let hidden = app.admin("package_create", dict).await.ok();
    let resource = hidden["resources"][0]["id"].as_str().unwrap();
    let dataset_id = hidden["id"].as_str().unwrap();
    for action in ["resource_patch", "resource_update", "resource_delete"] {
        let reply = app
            .post(
                action,
                Some(&outsider),
                json!({"id": resource, "name": "x"}),
            )
            .await;
        let text = reply.body.to_string();
        let error = reply.err(404);
        assert!(
            error["message"].as_str().unwrap().contains(resource),
            "{error}"
        );
        assert!(
            !text.contains(dataset_id),
            "{action} named the dataset: {text}"
        );
    }
}

async fn only_web_links_are_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    for link in [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox",
    ] {
        let mut dict = dataset("lien-ket", "so-a");
        dict["resources"][0]["url"] = json!(link);
        let error = app.admin("package_create", dict).await.err(409);
        assert!(error["resources[0].url"].is_array(), "{link}: {error}");
        let mut dict = dataset("lien-ket", "so-a");
        dict["url"] = json!(link);
        let error = app.admin("package_create", dict).await.err(409);
        assert!(error["url"].is_array(), "{link}: {error}");
        let error = app
            .admin(
                "organization_patch",
                json!({"id": "so-a", "image_url": link}),
            )
            .await
            .err(409);
        assert!(error["image_url"].is_array(), "{link}: {error}");
    }
    let mut dict = dataset("lien-ket", "so-a");
    dict["url"] = json!("https://tayninh.gov.vn/du-lieu");
    dict["resources"][0]["url"] = json!("ftp://ftp.tayninh.gov.vn/gia-dat.csv");
    app.admin("package_create", dict).await.ok();
}

async fn file_names_lose_bidirectional_controls(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.admin("package_create", dataset("tep", "so-a"))
        .await
        .ok();
    let (status, body) = upload(
        &app,
        &app.admin_token,
        "resource_create",
        &[("package_id", "tep")],
        "bao-cao\u{202e}gpj.exe",
        b"MZ",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let url = body["result"]["url"].as_str().unwrap();
    assert!(url.ends_with("/download/bao-caogpj.exe"), "{url}");
}

async fn failed_writes_leave_no_uploaded_file(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.organization("so-b").await;
    let outsider = editor_of(&app, "bien-tap-b", "so-b").await;
    let created = app
        .admin("package_create", dataset("tep", "so-a"))
        .await
        .ok();
    let resource = created["resources"][0]["id"].as_str().unwrap().to_owned();
    let before = files_under(&app.data_dir.join("files"));
    // Refused inside the write, after the file was received.
    let (status, _) = upload(
        &app,
        &outsider,
        "resource_patch",
        &[("id", &resource)],
        "gia.csv",
        b"a,b\n",
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = upload(
        &app,
        &app.admin_token,
        "resource_patch",
        &[("id", "0194f3a2-7b1c-7d2e-9f00-000000000000")],
        "gia.csv",
        b"a,b\n",
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = upload(
        &app,
        &app.admin_token,
        "resource_create",
        &[("package_id", "tep"), ("url", "javascript:x")],
        "gia.csv",
        b"a,b\n",
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(files_under(&app.data_dir.join("files")), before);
}

async fn start_up_rekeys_unsafe_ids_sweeps_files_and_catches_up_the_index(backend: Backend) {
    use dataportal::db::schema::resources;
    use diesel::prelude::*;

    // First run: a catalogue written without the server (as by the CLI), with the damage
    // older versions left: a resource id that climbs out of the store, a temporary upload of
    // an interrupted request and a stored file nothing names.
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.storage.orphan_grace_seconds = 0;
    let site = "http://127.0.0.1";
    let catalog = dataportal::startup::open_context(&settings, site).unwrap();
    let system = dataportal::catalog::Actor::system();
    let call = |name: &str, dict: Value| {
        dataportal::catalog::actions::call_value(
            &catalog,
            &system,
            name,
            dict.as_object().unwrap(),
            None,
        )
        .unwrap()
    };
    call(
        "organization_create",
        json!({"name": "so-a", "title": "Sở A"}),
    );
    let created = call("package_create", dataset("truoc-su-co", "so-a"));
    let resource = created["resources"][0]["id"].as_str().unwrap().to_owned();
    catalog
        .db
        .write(|conn| {
            diesel::update(resources::table.find(&resource))
                .set((
                    resources::id.eq("../0c/khac"),
                    resources::storage_key.eq(Some("0c/../../../etc/passwd")),
                ))
                .execute(conn)?;
            Ok(())
        })
        .unwrap();
    let files = dir.path().join("files");
    std::fs::write(files.join("tmp").join("bi-ngat"), b"half").unwrap();
    std::fs::create_dir_all(files.join("zz").join("mo-coi")).unwrap();
    std::fs::write(files.join("zz").join("mo-coi").join("x.csv"), b"orphan").unwrap();
    drop(catalog);

    // Second run: the server's start-up repairs all of it before answering.
    let app = spawn_with(settings, backend, pg, dir).await;
    let shown = app
        .get("package_show", None, &[("id", "truoc-su-co")])
        .await
        .ok();
    let new_id = shown["resources"][0]["id"].as_str().unwrap();
    assert_ne!(new_id, "../0c/khac");
    assert!(dataportal::db::is_server_id(new_id), "{new_id}");
    assert!(files_under(&app.data_dir.join("files")).is_empty());
    // The first search already finds what was written while no server ran.
    let found = app
        .get("package_search", None, &[("q", "giá đất")])
        .await
        .ok();
    assert_eq!(found["count"], 1, "{found}");
}

async fn writes_during_a_rebuild_are_listed_once(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    let total = 120;
    for i in 0..total {
        app.admin("package_create", dataset(&format!("bo-{i:03}"), "so-a"))
            .await
            .ok();
    }
    let catalog = app.catalog.clone();
    let rebuild = tokio::task::spawn_blocking(move || {
        dataportal::catalog::indexing::rebuild(&catalog, &|_, _| {})
    });
    for i in (0..total).step_by(7) {
        app.admin(
            "package_patch",
            json!({"id": format!("bo-{i:03}"), "title": format!("Đã sửa {i}")}),
        )
        .await
        .ok();
    }
    rebuild.await.unwrap().unwrap();
    let found = app
        .get("package_search", None, &[("rows", "1000"), ("q", "*:*")])
        .await
        .ok();
    assert_eq!(found["count"], total, "no dataset listed twice");
    let mut names: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total);
    for i in (0..total).step_by(7) {
        let shown = found["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == format!("bo-{i:03}"))
            .unwrap();
        assert_eq!(shown["title"], format!("Đã sửa {i}"), "the newer copy wins");
    }
}

async fn searches_answer_503_while_the_index_is_rebuilt_from_scratch(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-a").await;
    app.admin("package_create", dataset("gia-dat", "so-a"))
        .await
        .ok();
    let index = app.catalog.search.clone().unwrap();
    // A rebuild from scratch has begun: the index holds part of the catalogue at best.
    index.begin_rebuild().unwrap();
    for (action, query) in [
        ("package_search", ("q", "giá đất")),
        ("package_autocomplete", ("q", "giá")),
        ("tag_autocomplete", ("query", "giá")),
    ] {
        let response = app
            .client
            .get(format!("{}/api/3/action/{action}", app.address))
            .query(&[query])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 503, "{action}");
        assert!(response.headers().get("Retry-After").is_some());
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "search_index_rebuilding");
    }
    // Reading and writing datasets go on meanwhile.
    app.get("package_show", None, &[("id", "gia-dat")])
        .await
        .ok();
    index.finish_rebuild(0).unwrap();
    let catalog = app.catalog.clone();
    tokio::task::spawn_blocking(move || {
        dataportal::catalog::indexing::rebuild(&catalog, &|_, _| {})
    })
    .await
    .unwrap()
    .unwrap();
    let found = app
        .get("package_search", None, &[("q", "giá đất")])
        .await
        .ok();
    assert_eq!(found["count"], 1);
}
