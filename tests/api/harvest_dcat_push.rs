//! A pushes DCAT documents to a small receiving server that records every request: RDF/XML by
//! PUT with a bearer token, JSON-LD by POST with a header of the endpoint's choosing; what is
//! made private is DELETEd; a failing endpoint gets each document once. The `dataportal
//! harvest` commands list, dry-run and run the same push from the shell.

use dataportal_harvesters::dcat::{parse, Format};
use serde_json::json;

use crate::both_backends;
use crate::cli::dataportal;
use crate::dcat_receiver::{Received, Receiver};
use crate::harvest_support::{run, stats};
use crate::helpers::{dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend};

both_backends!(
    dcat_documents_pushed_arrive_once_and_withdrawals_delete,
    a_dcat_endpoint_failing_for_a_while_gets_each_document_and_a_refusal_is_recorded,
    the_harvest_commands_list_dry_run_and_run_a_dcat_push,
);

/// The one dataset of a pushed document, read back with our parser.
fn pushed_dataset(request: &Received, format: Format) -> dataportal_harvesters::dcat::Dataset {
    let mut document = parse(&request.body, format, 1 << 24, None).unwrap();
    assert_eq!(document.datasets.len(), 1, "{request:?}");
    document.datasets.remove(0)
}

const TOKEN: &str = "bi-mat-cua-cong-quoc-gia-9f8e7d";

async fn dcat_documents_pushed_arrive_once_and_withdrawals_delete(backend: Backend) {
    let (a, receiver) = tokio::join!(spawn_app(backend), Receiver::start());
    a.organization("so-xay-dung").await;
    let mut ids = std::collections::BTreeMap::new();
    for name in ["quy-hoach-xay-dung", "giay-phep-xay-dung", "nha-o-xa-hoi"] {
        let made = a
            .admin("package_create", dataset(name, "so-xay-dung"))
            .await
            .ok();
        ids.insert(made["id"].as_str().unwrap().to_owned(), made);
    }
    let base = format!("{}/dcat/datasets", receiver.address);
    let target = a
        .admin(
            "harvest_target_create",
            json!({"name": "quoc-gia-dcat", "title": "Cổng dữ liệu quốc gia (DCAT)", "url": base,
                   "target_type": "dcat-push", "token": TOKEN, "format": "rdf"}),
        )
        .await
        .ok();
    assert_eq!(
        (target["has_token"].as_bool(), target["format"].as_str()),
        (Some(true), Some("rdf"))
    );
    for view in [
        target.clone(),
        a.admin("harvest_target_show", json!({"id": "quoc-gia-dcat"}))
            .await
            .ok(),
        a.admin("harvest_target_list", json!({})).await.ok(),
    ] {
        assert!(!view.to_string().contains(TOKEN), "{view}");
    }

    let pushed = run(&a, json!({"target_id": "quoc-gia-dcat"})).await;
    assert_eq!(
        (pushed["status"].as_str(), stats(&pushed)),
        (Some("Finished"), (3, 0, 0, 0, 0)),
        "{pushed}"
    );
    assert!(!pushed.to_string().contains(TOKEN));
    let requests = receiver.taken();
    assert_eq!(requests.len(), 3, "{requests:?}");
    for request in &requests {
        assert_eq!(request.method, "PUT");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(request.header("content-type"), Some("application/rdf+xml"));
        let id = request.path.strip_prefix("/dcat/datasets/").unwrap();
        let original = &ids[id];
        let sent = pushed_dataset(request, Format::RdfXml);
        assert_eq!(sent.identifier.as_deref(), Some(id));
        assert_eq!(sent.iri, format!("{}/dataset/{id}", a.address));
        assert!(sent
            .title
            .iter()
            .any(|t| t.value == original["title"] && t.lang.as_deref() == Some("vi")));
        assert_eq!(sent.distributions.len(), 1);
        assert_eq!(
            sent.distributions[0].access_url,
            original["resources"][0]["url"].as_str().unwrap()
        );
    }

    // Nothing changed: nothing sent.
    let again = run(&a, json!({"target_id": "quoc-gia-dcat"})).await;
    assert_eq!(stats(&again), (0, 0, 3, 0, 0), "{again}");
    assert!(receiver.taken().is_empty());

    // A dataset made private is withdrawn with DELETE; a changed one is sent again.
    a.admin(
        "package_patch",
        json!({"id": "nha-o-xa-hoi", "private": true}),
    )
    .await
    .ok();
    a.admin(
        "package_patch",
        json!({"id": "quy-hoach-xay-dung", "title": "Quy hoạch (sửa)"}),
    )
    .await
    .ok();
    let followed = run(&a, json!({"target_id": "quoc-gia-dcat"})).await;
    assert_eq!(stats(&followed), (0, 1, 1, 1, 0), "{followed}");
    let mut requests = receiver.taken();
    requests.sort_by(|x, y| x.method.cmp(&y.method));
    let private_id = ids
        .iter()
        .find(|(_, d)| d["name"] == "nha-o-xa-hoi")
        .unwrap()
        .0;
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(requests[0].path, format!("/dcat/datasets/{private_id}"));
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(requests[1].method, "PUT");
    let sent = pushed_dataset(&requests[1], Format::RdfXml);
    assert!(sent.title.iter().any(|t| t.value == "Quy hoạch (sửa)"));

    // JSON-LD by POST with the token in a header of the endpoint's choosing.
    a.admin(
        "harvest_target_create",
        json!({"name": "cong-khac", "url": format!("{}/khac", receiver.address), "target_type": "dcat-push",
               "token": TOKEN, "format": "jsonld", "config": {"method": "POST", "auth_header": "X-API-Key"}}),
    )
    .await
    .ok();
    let posted = run(&a, json!({"target_id": "cong-khac"})).await;
    assert_eq!(stats(&posted), (2, 0, 0, 0, 0), "{posted}");
    for request in receiver.taken() {
        assert_eq!(request.method, "POST");
        assert!(request.path.starts_with("/khac/"), "{}", request.path);
        assert_eq!(request.header("x-api-key"), Some(TOKEN));
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("content-type"), Some("application/ld+json"));
        let sent = pushed_dataset(&request, Format::JsonLd);
        assert_eq!(
            sent.identifier.as_deref(),
            request.path.strip_prefix("/khac/")
        );
    }

    // An open endpoint (no token): the documents go with no auth header at all.
    a.admin(
        "harvest_target_create",
        json!({"name": "cong-mo", "url": format!("{}/mo", receiver.address), "target_type": "dcat-push"}),
    )
    .await
    .ok();
    let open = run(&a, json!({"target_id": "cong-mo"})).await;
    assert_eq!(stats(&open), (2, 0, 0, 0, 0), "{open}");
    for request in receiver.taken() {
        assert!(request.path.starts_with("/mo/"), "{}", request.path);
        assert_eq!(request.header("authorization"), None);
    }
    // A CKAN target writes through an account: its token is required.
    let no_token = a
        .admin(
            "harvest_target_create",
            json!({"name": "ckan-khong-ma", "url": base, "target_type": "ckan", "remote_owner_org": "x"}),
        )
        .await
        .err(409);
    assert!(no_token["token"].is_array(), "{no_token}");

    // What a dcat-push target cannot send is refused up front, naming the field.
    let refused = a
        .admin(
            "harvest_target_create",
            json!({"name": "sai", "url": base, "target_type": "dcat-push", "token": "t",
                   "format": "csv", "config": {"method": "PATCH", "auth_header": "Sai Tên"}}),
        )
        .await
        .err(409);
    for field in ["format", "config.method", "config.auth_header"] {
        assert!(refused[field].is_array(), "{field}: {refused}");
    }
}

async fn the_harvest_commands_list_dry_run_and_run_a_dcat_push(backend: Backend) {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let path = dir.path().to_path_buf();
    let app = spawn_with(test_settings(&path, &url), backend, pg, dir).await;
    app.organization("so-y-te").await;
    for name in ["co-so-y-te", "tiem-chung"] {
        app.admin("package_create", dataset(name, "so-y-te"))
            .await
            .ok();
    }
    app.admin(
        "harvest_target_create",
        json!({"name": "quoc-gia-dcat", "url": format!("{}/dcat", receiver.address),
               "target_type": "dcat-push", "token": TOKEN}),
    )
    .await
    .ok();
    app.organization("tong-hop").await;
    app.admin(
        "harvest_source_create",
        json!({"name": "tinh-b", "url": "https://b.gov.vn/catalog.rdf", "source_type": "dcat", "owner_org": "tong-hop"}),
    )
    .await
    .ok();
    let cli = |args: &'static [&'static str]| {
        let (path, url) = (path.clone(), url.clone());
        tokio::task::spawn_blocking(move || dataportal(&path, &url, args, None))
    };

    let (ok, out, err) = cli(&["harvest", "list"]).await.unwrap();
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("tinh-b") && l.contains("\tdcat\t")),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.contains("quoc-gia-dcat")
            && l.contains("dcat-push")
            && l.contains("never run")),
        "{out}"
    );

    let (ok, out, err) = cli(&["harvest", "run", "quoc-gia-dcat", "--dry-run"])
        .await
        .unwrap();
    assert!(ok, "{err}");
    for name in ["co-so-y-te", "tiem-chung"] {
        let line = out.lines().find(|l| l.contains(name)).unwrap_or_default();
        assert!(
            line.contains("create") && line.contains(&format!("PUT {}/dcat/", receiver.address)),
            "{out}"
        );
    }
    assert!(out.contains("2 việc / steps"), "{out}");
    assert!(receiver.taken().is_empty(), "a dry run sends nothing");
    let target = app
        .admin("harvest_target_show", json!({"id": "quoc-gia-dcat"}))
        .await
        .ok();
    assert!(
        target["last_job"].is_null(),
        "a dry run starts no run: {target}"
    );

    // The run itself logs at debug level: the token must not show there either.
    let (run_path, run_url) = (path.clone(), url.clone());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_dataportal"))
            .arg("--data-dir")
            .arg(&run_path)
            .args([
                "--database-url",
                &run_url,
                "harvest",
                "run",
                "quoc-gia-dcat",
            ])
            .env("DATAPORTAL_ENV", "test")
            .env("RUST_LOG", "debug")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let ok = output.status.success();
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(ok, "{out}{err}");
    assert!(
        err.contains("DEBUG"),
        "the run logged at debug level: {err}"
    );
    assert!(
        out.contains("added 2") && out.contains("unchanged 0"),
        "{out}"
    );
    for text in [&out, &err] {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
    let requests = receiver.taken();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(requests.iter().all(|r| r.method == "PUT"
        && r.header("authorization") == Some(format!("Bearer {TOKEN}").as_str())));

    let (ok, out, _) = cli(&["harvest", "list"]).await.unwrap();
    assert!(ok);
    assert!(
        out.lines().any(|l| l.contains("quoc-gia-dcat")
            && l.contains("Finished")
            && l.contains("(+2 ~0 =0 -0 !0)")),
        "{out}"
    );
}

async fn a_dcat_endpoint_failing_for_a_while_gets_each_document_and_a_refusal_is_recorded(
    backend: Backend,
) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.harvest.send_attempts = 4;
    let (a, receiver) = tokio::join!(spawn_with(settings, backend, pg, dir), Receiver::start());
    a.organization("so-nong-nghiep").await;
    for name in ["gia-lua", "dien-tich-trong-trot"] {
        a.admin("package_create", dataset(name, "so-nong-nghiep"))
            .await
            .ok();
    }
    a.admin(
        "harvest_target_create",
        json!({"name": "quoc-gia-dcat", "url": format!("{}/dcat", receiver.address),
               "target_type": "dcat-push", "token": TOKEN}),
    )
    .await
    .ok();

    // Three 503s in a row: retried with backoff, each document arrives once.
    receiver.fail(3, 503);
    let pushed = run(&a, json!({"target_id": "quoc-gia-dcat"})).await;
    assert_eq!(
        (pushed["status"].as_str(), stats(&pushed)),
        (Some("Finished"), (2, 0, 0, 0, 0)),
        "{pushed}"
    );
    let mut paths: Vec<String> = receiver.taken().into_iter().map(|r| r.path).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 2, "{paths:?}");

    // A refusal (401) is no reason to retry: the dataset's error is recorded, the run ends,
    // and the next run sends it again.
    a.admin(
        "package_patch",
        json!({"id": "gia-lua", "title": "Giá lúa (sửa)"}),
    )
    .await
    .ok();
    receiver.fail(1, 401);
    let refused = run(&a, json!({"target_id": "quoc-gia-dcat"})).await;
    assert_eq!(
        (refused["status"].as_str(), stats(&refused)),
        (Some("Finished"), (0, 0, 1, 0, 1)),
        "{refused}"
    );
    let job = a
        .admin("harvest_job_show", json!({"id": refused["id"]}))
        .await
        .ok();
    assert!(job.to_string().contains("401"), "{job}");
    assert!(!job.to_string().contains(TOKEN), "{job}");
    assert!(receiver.taken().is_empty());
    let again = run(&a, json!({"target_id": "quoc-gia-dcat"})).await;
    assert_eq!(stats(&again), (0, 1, 1, 0, 0), "{again}");
    assert_eq!(receiver.taken().len(), 1);
}
