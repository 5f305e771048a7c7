//! `dataportal import` as a user runs it (import, then serve), with dumps shaped like the
//! provinces' CKAN portals give them: the catalogue is whole, and searchable the moment the
//! server answers, without a rebuild.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::both_backends;
use crate::cli::dataportal;
use crate::helpers::{drop_database, fresh_database, spawn_with, test_settings, Backend};

both_backends!(
    an_imported_catalogue_is_searchable_at_once_without_a_rebuild,
    a_batch_that_trips_the_database_still_imports_every_good_record,
    datasets_imported_while_the_server_runs_become_searchable,
);

/// Editions of each fixture record (320 of them): enough to cross a batch of 2,000.
const EDITIONS: usize = 7;

/// The demo catalogue as a CKAN without ckanext-scheming dumps it: a foreign id, the
/// organisation as a dict, tags and groups as dicts, our fields in `extras` next to the
/// portal's own, resources with their CKAN keys. Edition `k` of each record is named `…-k`.
fn ckan_dump() -> Vec<Value> {
    let fixture = std::fs::read_to_string("demo/tay-ninh-catalogue.jsonl").unwrap();
    let mut records = Vec::new();
    for k in 0..EDITIONS {
        for (i, line) in fixture.lines().enumerate() {
            let mut r: Value = serde_json::from_str(line).unwrap();
            let name = format!(
                "{}-{k}",
                &r["name"].as_str().unwrap()[..90.min(r["name"].as_str().unwrap().len())]
            );
            let mut extras = vec![
                json!({"key": "frequency", "value": r["frequency"]}),
                json!({"key": "nguon_du_lieu", "value": format!("Cổng dữ liệu cũ, bản ghi {i}")}),
            ];
            for key in ["temporal_start", "temporal_end"] {
                if r[key].is_string() {
                    extras.push(json!({"key": key, "value": r[key]}));
                }
            }
            let tags: Vec<Value> = r["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| json!({"name": t, "display_name": t, "state": "active"}))
                .collect();
            let groups: Vec<Value> = r["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| json!({"name": g, "title": g}))
                .collect();
            let resources: Vec<Value> = r["resources"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(p, res)| {
                    let mut res = res.clone();
                    res["id"] = json!(format!("00000000-0000-4000-8000-{:06}{:06}", i, p));
                    res["package_id"] = json!("ngoai-lai");
                    res["position"] = json!(p);
                    res
                })
                .collect();
            let org = json!({"name": r["organization"], "title": r["organization_title"], "type": "organization"});
            let object = r.as_object_mut().unwrap();
            for key in [
                "frequency",
                "temporal_start",
                "temporal_end",
                "organization_title",
            ] {
                object.remove(key);
            }
            object.insert("id".into(), json!(format!("ckan-{k}-{i}")));
            object.insert("name".into(), json!(name));
            object.insert("type".into(), json!("dataset"));
            object.insert("organization".into(), org);
            object.insert("tags".into(), Value::Array(tags));
            object.insert("groups".into(), Value::Array(groups));
            object.insert("resources".into(), Value::Array(resources));
            object.insert("extras".into(), Value::Array(extras));
            object.insert("num_resources".into(), json!(0));
            records.push(r);
        }
    }
    records
}

/// `dataportal serve` as README starts it, on a free port; returns the process, its base URL
/// and what it logged until it answered.
async fn serve(dir: &std::path::Path, url: &str) -> (tokio::process::Child, String, Vec<String>) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_dataportal"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(["--database-url", url])
        .env("DATAPORTAL_ENV", "test")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut log = Vec::new();
    let address = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            log.push(line.clone());
            if let Some((_, at)) = line.split_once("listening at ") {
                return at.trim().to_owned();
            }
        }
        panic!("the server ended before answering: {log:?}");
    })
    .await
    .expect("the server answers within two minutes");
    // Keep draining its log, so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, address, log)
}

async fn get(address: &str, action: &str, query: &[(&str, &str)]) -> Value {
    let reply: Value = reqwest::Client::new()
        .get(format!("{address}/api/3/action/{action}"))
        .query(query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reply["success"], true, "{reply}");
    reply["result"].clone()
}

async fn an_imported_catalogue_is_searchable_at_once_without_a_rebuild(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let mut records = ckan_dump();
    let total = records.len();
    // One record fails (a licence no one knows); one is named twice in the same batch and
    // one in the next batch: both later editions update the first.
    records[5]["license_id"] = json!("giay-phep-la");
    let again = records[10].clone();
    records.insert(20, json!({"name": again["name"], "title": "Bản sửa trong cùng lô", "owner_org": "so-tai-chinh"}));
    records.push(json!({"name": again["name"], "title": "Bản sửa ở lô sau", "organization": again["organization"],
                        "tags": [{"name": "sửa đổi"}], "resources": []}));
    let file = dir.path().join("ckan-dump.jsonl");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&file, text).unwrap();

    let (ok, out, err) = dataportal(dir.path(), &url, &["import", file.to_str().unwrap()], None);
    assert!(
        !ok,
        "one record failed: the import says so in its exit status"
    );
    assert!(
        out.contains(&format!("created {}", total - 1)),
        "{out}{err}"
    );
    assert!(
        out.contains("updated 2") && out.contains("failed 1"),
        "{out}{err}"
    );
    assert!(
        err.contains("line 6") && err.contains("license_id"),
        "{err}"
    );

    let (server, address, log) = serve(dir.path(), &url).await;
    assert!(
        !log.iter()
            .any(|l| l.contains("rebuil") || l.contains("caught up")),
        "the server found the index in step with the import: {log:#?}"
    );
    let all = get(
        &address,
        "package_search",
        &[
            ("rows", "0"),
            ("facet.field", "[\"organization\",\"groups\"]"),
            ("facet.limit", "-1"),
        ],
    )
    .await;
    assert_eq!(
        all["count"],
        total - 1,
        "the whole catalogue, on the first search"
    );
    assert_eq!(
        all["search_facets"]["organization"]["items"]
            .as_array()
            .unwrap()
            .len(),
        16
    );
    assert_eq!(
        all["search_facets"]["groups"]["items"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    let found = get(
        &address,
        "package_search",
        &[("q", "giá đất"), ("rows", "1")],
    )
    .await;
    assert!(
        found["count"].as_u64().unwrap() >= EDITIONS as u64,
        "{found}"
    );

    let edited = get(
        &address,
        "package_show",
        &[("id", again["name"].as_str().unwrap())],
    )
    .await;
    assert_eq!(edited["title"], "Bản sửa ở lô sau");
    assert_eq!(edited["tags"][0]["name"], "sửa đổi");
    assert_eq!(edited["num_resources"], 0);
    let history = get(
        &address,
        "package_activity_list",
        &[("id", again["name"].as_str().unwrap())],
    )
    .await;
    assert_eq!(
        history.as_array().unwrap().len(),
        3,
        "created, then changed twice"
    );

    // A record as the source portal had it, field by field.
    let source = records
        .iter()
        .find(|r| r["name"] == "danh-sach-tru-so-cong-an-xa-phuong-0")
        .unwrap();
    let shown = get(
        &address,
        "package_show",
        &[("id", source["name"].as_str().unwrap())],
    )
    .await;
    assert_eq!(shown["title"], source["title"]);
    assert_eq!(shown["notes"], source["notes"]);
    assert_eq!(
        shown["organization"]["name"],
        source["organization"]["name"]
    );
    assert_eq!(
        shown["organization"]["title"],
        source["organization"]["title"]
    );
    let extra = |key: &str| {
        source["extras"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["key"] == key)
            .map(|e| e["value"].clone())
    };
    assert_eq!(
        Some(shown["frequency"].clone()),
        extra("frequency"),
        "an extra naming our field fills it"
    );
    assert_eq!(
        shown["extras"],
        json!([{"key": "nguon_du_lieu", "value": extra("nguon_du_lieu").unwrap()}])
    );
    let mut tags: Vec<&str> = source["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    tags.sort_unstable();
    let shown_tags: Vec<&str> = shown["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(shown_tags, tags);
    assert_eq!(
        shown["groups"].as_array().unwrap().len(),
        source["groups"].as_array().unwrap().len()
    );
    let resources = shown["resources"].as_array().unwrap();
    assert_eq!(
        resources.len(),
        source["resources"].as_array().unwrap().len()
    );
    for (position, (ours, theirs)) in resources
        .iter()
        .zip(source["resources"].as_array().unwrap())
        .enumerate()
    {
        assert_eq!(ours["name"], theirs["name"]);
        assert_eq!(ours["format"], theirs["format"]);
        assert_eq!(ours["url"], theirs["url"]);
        assert_eq!(ours["position"], position);
        assert_eq!(
            ours["package_id"], shown["id"],
            "our ids, not the source portal's"
        );
        assert_ne!(ours["id"], theirs["id"]);
    }
    assert_ne!(shown["id"], source["id"]);
    assert_eq!(
        shown["metadata_created"], "2026-03-28T04:46:21.000000",
        "the source portal's times"
    );
    assert_eq!(shown["metadata_modified"], "2026-08-30T07:01:47.000000");
    drop(server);
    if let Some(name) = pg {
        drop_database(&name);
    }
}

/// Two records whose names differ only by spaces name one dataset: stored together, the
/// batch breaks the unique name; done again record by record it stores the first and updates
/// it with the second, and every other record of the batch is imported as well.
async fn a_batch_that_trips_the_database_still_imports_every_good_record(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let records: Vec<Value> = (0..50)
        .map(|i| json!({"name": format!("bo-du-lieu-{i}"), "title": format!("Bộ dữ liệu {i}"), "owner_org": "so-y-te"}))
        .chain([
            json!({"name": "  gia-dat  ", "title": "Giá đất", "owner_org": "so-tai-chinh"}),
            json!({"name": "gia-dat", "title": "Giá đất (bản sửa)", "owner_org": "so-tai-chinh"}),
            json!({"name": "sau-cung", "title": "Sau cùng", "owner_org": "so-y-te", "tags": ["y tế"]}),
        ])
        .collect();
    let file = dir.path().join("dump.jsonl");
    std::fs::write(
        &file,
        records.iter().map(|r| format!("{r}\n")).collect::<String>(),
    )
    .unwrap();
    let (ok, out, err) = dataportal(dir.path(), &url, &["import", file.to_str().unwrap()], None);
    assert!(ok, "{out}{err}");
    assert!(err.contains("rolled back"), "the fast path tripped: {err}");
    assert!(
        out.contains("created 52") && out.contains("updated 1") && out.contains("failed 0"),
        "{out}{err}"
    );

    let app = spawn_with(test_settings(dir.path(), &url), backend, pg, dir).await;
    let shown = app
        .get("package_show", None, &[("id", "gia-dat")])
        .await
        .ok();
    assert_eq!(shown["title"], "Giá đất (bản sửa)");
    let all = app
        .get("package_search", None, &[("q", "*:*"), ("rows", "0")])
        .await
        .ok();
    assert_eq!(all["count"], 52);
    let tagged = app
        .get("package_search", None, &[("fq", "tags:\"y tế\"")])
        .await
        .ok();
    assert_eq!(tagged["results"][0]["name"], "sau-cung");
}

/// A running server holds the index: the import leaves it to the server, which takes the new
/// datasets in from the change log, without a restart and without losing its index.
async fn datasets_imported_while_the_server_runs_become_searchable(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let first = dir.path().join("first.jsonl");
    std::fs::write(
        &first,
        format!(
            "{}\n",
            json!({"name": "dan-so-2024", "title": "Dân số 2024", "owner_org": "cuc-thong-ke"})
        ),
    )
    .unwrap();
    let (ok, out, err) = dataportal(dir.path(), &url, &["import", first.to_str().unwrap()], None);
    assert!(ok, "{out}{err}");
    let (server, address, _) = serve(dir.path(), &url).await;
    assert_eq!(
        get(&address, "package_search", &[("q", "dân số")]).await["count"],
        1
    );

    let second = dir.path().join("second.jsonl");
    let lines: String = (2020..2024)
        .map(|year| format!("{}\n", json!({"name": format!("dan-so-{year}"), "title": format!("Dân số {year}"), "owner_org": "cuc-thong-ke"})))
        .collect();
    std::fs::write(&second, lines).unwrap();
    let (ok, out, err) = dataportal(
        dir.path(),
        &url,
        &["import", second.to_str().unwrap()],
        None,
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("created 4"), "{out}");
    let mut count = Value::Null;
    for _ in 0..100 {
        count = get(&address, "package_search", &[("q", "dân số")]).await["count"].clone();
        if count == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count, 5, "the server took the imported datasets in");
    drop(server);
    if let Some(name) = pg {
        drop_database(&name);
    }
}
