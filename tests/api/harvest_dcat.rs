//! DCAT both ways between real portals: C pulls A's DCAT catalogue (two hydra pages) and the
//! copies match field by field; A pushes DCAT documents to a small receiving server that
//! records every request; the `dataportal harvest` commands do the same from the shell.

use std::sync::{Arc, Mutex};

use dataportal_harvesters::dcat::{parse, Format};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::both_backends;
use crate::cli::dataportal;
use crate::harvest_support::{datasets_of, run, stats};
use crate::helpers::{dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend};

both_backends!(
    a_dcat_catalogue_pulled_arrives_whole_and_follows_its_source,
    dcat_documents_pushed_arrive_once_and_withdrawals_delete,
    a_dcat_endpoint_failing_for_a_while_gets_each_document_and_a_refusal_is_recorded,
    the_harvest_commands_list_dry_run_and_run_a_dcat_push,
);

/// Datasets at A: more than a catalogue page (100), so the pull follows `hydra:next`.
const MANY: usize = 104;

/// Dataset `i` of A, its fields varied: English or not, a description or not, licences,
/// frequencies, places and contacts differing, one title in NFD.
fn varied(i: usize, org: &str) -> Value {
    let mut d = dataset(&format!("bo-du-lieu-{i:03}"), org);
    d["title"] = json!(format!("Bộ dữ liệu số {i}: giá đất & \"quy hoạch\" <2025>"));
    d["notes"] = json!(format!("Mô tả bộ dữ liệu {i}, phường Tân Ninh."));
    d["version"] = json!(format!("1.{i}"));
    let license = ["cc-by-4.0", "cc0-1.0", "odc-odbl", ""][i % 4];
    let frequency = ["annual", "monthly", "quarterly", "irregular"][i % 4];
    let theme = ["tai-chinh", "xa-hoi", "moi-truong"][i % 3];
    d["license_id"] = json!(license);
    d["frequency"] = json!(frequency);
    d["tags"] = json!([{"name": "giá đất"}, {"name": format!("nhóm {}", i % 7)}]);
    d["groups"] = json!([{ "name": theme }]);
    d["resources"] = json!([
        {"name": format!("Bảng số liệu {i} (CSV)"), "description": "Tệp gốc", "format": "CSV",
         "mimetype": "text/csv", "url": format!("https://data.tayninh.gov.vn/files/bo-{i}.csv")},
    ]);
    match i % 5 {
        0 => {
            d["title_en"] = json!("");
            d["notes_en"] = json!("");
        }
        1 => d["notes_en"] = json!(format!("Description of dataset {i}")),
        2 => {
            d["notes"] = json!("");
            d["title_en"] = json!("");
        }
        3 => {
            d["title"] =
                json!("Gia\u{301} \u{111}a\u{302}\u{301}t theo phu\u{31b}o\u{31b}\u{300}ng")
        }
        _ => d["contact_phone"] = json!(""),
    }
    d
}

/// The fields DCAT carries and a pull must bring back unchanged.
const SAME: &[&str] = &[
    "title",
    "title_en",
    "notes",
    "notes_en",
    "license_id",
    "frequency",
    "spatial_code",
    "spatial_name",
    "temporal_start",
    "temporal_end",
    "language",
    "contact_name",
    "contact_email",
    "version",
];

/// A phone number travels as a `tel:` IRI, which has no spaces: its digits must arrive.
fn digits(phone: &Value) -> String {
    phone
        .as_str()
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn sorted(items: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn assert_same(original: &Value, copy: &Value, source: &str) {
    for key in SAME {
        assert_eq!(original[key], copy[key], "{key} differs: {copy}");
    }
    assert_eq!(
        digits(&original["contact_phone"]),
        digits(&copy["contact_phone"])
    );
    assert_eq!(
        sorted(&original["tags"], "name"),
        sorted(&copy["tags"], "name")
    );
    assert_eq!(
        sorted(&original["groups"], "name"),
        sorted(&copy["groups"], "name")
    );
    // The copy's source page is the dataset's page at A.
    assert_eq!(
        copy["url"],
        json!(format!(
            "{source}/dataset/{}",
            original["name"].as_str().unwrap()
        ))
    );
    let (ours, theirs) = (&original["resources"], &copy["resources"]);
    assert_eq!(
        ours.as_array().unwrap().len(),
        theirs.as_array().unwrap().len()
    );
    for key in ["name", "description", "url", "format", "mimetype"] {
        assert_eq!(ours[0][key], theirs[0][key], "resource {key}: {copy}");
    }
    let uri = copy["extras"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "uri")
        .unwrap();
    assert_eq!(
        uri["value"],
        json!(format!(
            "{source}/dataset/{}",
            original["id"].as_str().unwrap()
        ))
    );
}

async fn a_dcat_catalogue_pulled_arrives_whole_and_follows_its_source(backend: Backend) {
    let (a, c) = tokio::join!(spawn_app(backend), spawn_app(backend));
    a.organization("so-tai-chinh").await;
    let mut originals = Vec::new();
    for i in 0..MANY {
        originals.push(
            a.admin("package_create", varied(i, "so-tai-chinh"))
                .await
                .ok(),
        );
    }
    // Private and draft datasets are no part of the catalogue: never pulled.
    let mut hidden = dataset("bao-cao-noi-bo", "so-tai-chinh");
    hidden["private"] = json!(true);
    a.admin("package_create", hidden).await.ok();

    // C has datasets of its own, one sharing a name with A's.
    c.organization("tong-hop").await;
    let own = c
        .admin("package_create", dataset("bo-du-lieu-007", "tong-hop"))
        .await
        .ok();
    c.admin(
        "harvest_source_create",
        json!({"name": "tinh-a", "title": "Tỉnh A (DCAT)", "url": format!("{}/catalog.ttl", a.address),
               "source_type": "dcat", "owner_org": "tong-hop"}),
    )
    .await
    .ok();
    let pulled = run(&c, json!({"source_id": "tinh-a"})).await;
    assert_eq!(
        (pulled["status"].as_str(), stats(&pulled)),
        (Some("Finished"), (MANY as i64, 0, 0, 0, 0)),
        "{pulled}"
    );
    assert_eq!(datasets_of(&c, "tong-hop").await.len(), MANY + 1);
    for original in &originals {
        let name = original["name"].as_str().unwrap();
        let local = if name == "bo-du-lieu-007" {
            "bo-du-lieu-007-tinh-a".to_owned()
        } else {
            name.to_owned()
        };
        let copy = c.get("package_show", None, &[("id", &local)]).await.ok();
        assert_same(original, &copy, &a.address);
    }

    // A second pull finds everything in step.
    let again = run(&c, json!({"source_id": "tinh-a"})).await;
    assert_eq!(stats(&again), (0, 0, MANY as i64, 0, 0), "{again}");

    // A changes one dataset and deletes another: C follows; its own dataset stays as it was.
    a.admin(
        "package_patch",
        json!({"id": "bo-du-lieu-001", "title": "Tiêu đề đã sửa"}),
    )
    .await
    .ok();
    a.admin("package_delete", json!({"id": "bo-du-lieu-002"}))
        .await
        .ok();
    let followed = run(&c, json!({"source_id": "tinh-a"})).await;
    assert_eq!(
        stats(&followed),
        (0, 1, MANY as i64 - 2, 1, 0),
        "{followed}"
    );
    let changed = c
        .get("package_show", None, &[("id", "bo-du-lieu-001")])
        .await
        .ok();
    assert_eq!(changed["title"], "Tiêu đề đã sửa");
    c.get("package_show", None, &[("id", "bo-du-lieu-002")])
        .await
        .err(404);
    let untouched = c
        .get("package_show", None, &[("id", "bo-du-lieu-007")])
        .await
        .ok();
    assert_eq!(untouched["id"], own["id"]);
    assert_eq!(untouched["metadata_modified"], own["metadata_modified"]);
    assert_eq!(datasets_of(&c, "tong-hop").await.len(), MANY);
}

/// One request the receiving server got.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A DCAT endpoint that keeps every request it accepts and answers 201 to PUT and POST, 204
/// to DELETE; while `failing` is above zero, it answers that failure's status instead (and counts down).
struct Receiver {
    address: String,
    received: Arc<Mutex<Vec<Received>>>,
    failing: Arc<Mutex<(usize, u16)>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let failing = Arc::new(Mutex::new((0, 500)));
        let (kept, fails) = (received.clone(), failing.clone());
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(receive(socket, kept.clone(), fails.clone()));
            }
        });
        Receiver {
            address,
            received,
            failing,
            task,
        }
    }

    /// Answers `status` to the next `count` requests.
    fn fail(&self, count: usize, status: u16) {
        *self.failing.lock().unwrap() = (count, status);
    }

    fn taken(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }
}

async fn receive(
    mut socket: TcpStream,
    kept: Arc<Mutex<Vec<Received>>>,
    failing: Arc<Mutex<(usize, u16)>>,
) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let Ok(n) = socket.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        bytes.extend_from_slice(&buf[..n]);
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_string();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_owned();
    let path = first.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while bytes.len() < head_end + length {
        let Ok(n) = socket.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        bytes.extend_from_slice(&buf[..n]);
    }
    let failure = {
        let mut failing = failing.lock().unwrap();
        (failing.0 > 0).then(|| {
            failing.0 -= 1;
            failing.1
        })
    };
    let status = match failure {
        Some(status) => format!("{status} Failing"),
        None => {
            kept.lock().unwrap().push(Received {
                method: method.clone(),
                path,
                headers,
                body: bytes[head_end..].to_vec(),
            });
            (if method == "DELETE" {
                "204 No Content"
            } else {
                "201 Created"
            })
            .to_owned()
        }
    };
    let reply = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = socket.write_all(reply.as_bytes()).await;
    let _ = socket.shutdown().await;
}

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

    let (ok, out, err) = cli(&["harvest", "run", "quoc-gia-dcat"]).await.unwrap();
    assert!(ok, "{out}{err}");
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
