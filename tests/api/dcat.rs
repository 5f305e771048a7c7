//! The catalogue as DCAT-AP 3.0.1: pages with hydra paging, the streamed whole catalogue,
//! one dataset by extension or by `Accept`, only public datasets; and every export checked
//! by pyshacl (from PyPI) against the official shapes in ../shared/dcat-ap-3.0.1.

use std::path::{Path, PathBuf};
use std::process::Command;

use dataportal_harvesters::dcat::{parse, Format};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    catalogue_pages_show_public_datasets_only,
    datasets_answer_in_rdf_by_extension_and_accept
);

const CAP: usize = 200 << 20;

async fn fetch(app: &TestApp, path: &str, accept: Option<&str>) -> (u16, String, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let reply = request.send().await.unwrap();
    let status = reply.status().as_u16();
    let kind = reply
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, reply.text().await.unwrap())
}

/// One public, one private and one draft dataset.
async fn three_datasets(app: &TestApp) {
    app.organization("so-tai-chinh").await;
    app.admin("package_create", dataset("cong-khai", "so-tai-chinh"))
        .await
        .ok();
    let mut private = dataset("rieng-tu", "so-tai-chinh");
    private["private"] = json!(true);
    app.admin("package_create", private).await.ok();
    let mut draft = dataset("ban-nhap", "so-tai-chinh");
    draft["state"] = json!("draft");
    app.admin("package_create", draft).await.ok();
}

async fn catalogue_pages_show_public_datasets_only(backend: Backend) {
    let app = spawn_app(backend).await;
    three_datasets(&app).await;
    for ext in ["rdf", "xml", "ttl", "jsonld"] {
        let format = Format::from_extension(ext).unwrap();
        for query in ["", "?page=all"] {
            let (status, kind, body) = fetch(&app, &format!("/catalog.{ext}{query}"), None).await;
            assert_eq!(status, 200, "{ext}{query}: {body}");
            assert!(kind.starts_with(format.media_type()), "{kind}");
            let document = parse(body.as_bytes(), format, CAP, None).unwrap();
            let names: Vec<&str> = document
                .datasets
                .iter()
                .filter_map(|d| d.landing_page.as_deref())
                .collect();
            assert_eq!(names.len(), 1, "{ext}{query}: {names:?}");
            assert!(names[0].ends_with("/dataset/cong-khai"));
            assert!(document.catalog.is_some());
            if query.is_empty() {
                let paging = document.paging.unwrap();
                assert_eq!((paging.total_items, paging.items_per_page), (1, 100));
                assert!(paging.next.is_none() && paging.previous.is_none());
            }
        }
    }
    // A search and a date narrow the page; the page after the last links back.
    let (_, _, body) = fetch(&app, "/catalog.ttl?q=nothing-matches-this", None).await;
    assert!(parse(body.as_bytes(), Format::Turtle, CAP, None)
        .unwrap()
        .datasets
        .is_empty());
    let (_, _, body) = fetch(&app, "/catalog.ttl?modified_since=2999-01-01", None).await;
    assert!(parse(body.as_bytes(), Format::Turtle, CAP, None)
        .unwrap()
        .datasets
        .is_empty());
    let (_, _, body) = fetch(
        &app,
        "/catalog.ttl?page=all&modified_since=2000-01-01",
        None,
    )
    .await;
    assert_eq!(
        parse(body.as_bytes(), Format::Turtle, CAP, None)
            .unwrap()
            .datasets
            .len(),
        1
    );
    let (_, _, body) = fetch(&app, "/catalog.jsonld?page=2", None).await;
    let paging = parse(body.as_bytes(), Format::JsonLd, CAP, None)
        .unwrap()
        .paging
        .unwrap();
    assert!(paging.previous.unwrap().ends_with("/catalog.jsonld?page=1"));
    // Bad parameters are refused by name, never a 500.
    for bad in [
        "?page=abc",
        "?modified_since=yesterday",
        "?page=all&q=x",
        "?page=0&page=100000",
    ] {
        let (status, _, body) = fetch(&app, &format!("/catalog.rdf{bad}"), None).await;
        assert!((400..500).contains(&status), "{bad}: {status} {body}");
    }
    // The same through the API, as ckanext-dcat's actions.
    let reply = app
        .get("dcat_catalog_show", None, &[("format", "ttl")])
        .await
        .ok();
    assert!(reply.as_str().unwrap().contains("hydra:PagedCollection"));
    app.get("dcat_catalog_show", None, &[("format", "n3")])
        .await
        .err(409);
}

async fn datasets_answer_in_rdf_by_extension_and_accept(backend: Backend) {
    let app = spawn_app(backend).await;
    three_datasets(&app).await;
    for (ext, format) in [
        ("rdf", Format::RdfXml),
        ("ttl", Format::Turtle),
        ("jsonld", Format::JsonLd),
    ] {
        let (status, kind, body) = fetch(&app, &format!("/dataset/cong-khai.{ext}"), None).await;
        assert_eq!(status, 200, "{body}");
        assert!(kind.starts_with(format.media_type()));
        let document = parse(body.as_bytes(), format, CAP, None).unwrap();
        let read = &document.datasets[0];
        assert_eq!(read.title.len(), 2, "Vietnamese and English titles");
        assert_eq!(read.distributions.len(), 1);
        assert!(read
            .frequency
            .as_ref()
            .unwrap()
            .iri
            .ends_with("/frequency/ANNUAL"));
        assert!(read
            .themes
            .iter()
            .any(|t| t.iri.ends_with("/data-theme/ECON")));
        let (status, _, body) = fetch(&app, &format!("/dataset/rieng-tu.{ext}"), None).await;
        assert_eq!(status, 404, "{body}");
        let (status, _, _) = fetch(&app, &format!("/dataset/ban-nhap.{ext}"), None).await;
        assert_eq!(status, 404);
    }
    // Content negotiation on the page's own address.
    let (_, kind, body) = fetch(&app, "/dataset/cong-khai", Some("text/turtle")).await;
    assert!(kind.starts_with("text/turtle"), "{kind}");
    assert!(body.contains("dcat:Dataset"));
    let (_, kind, _) = fetch(
        &app,
        "/dataset/cong-khai",
        Some("application/ld+json;q=0.9, text/html;q=0.5"),
    )
    .await;
    assert!(kind.starts_with("application/ld+json"), "{kind}");
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let (_, kind, page) = fetch(&app, "/dataset/cong-khai", Some(browser)).await;
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(page.contains(r#"<link rel="alternate" type="text/turtle" href=""#));
    assert!(page.contains("/dataset/cong-khai.rdf"));
    let (status, _, _) = fetch(&app, "/dataset/rieng-tu", Some("application/rdf+xml")).await;
    assert_eq!(status, 404);
    let shown = app
        .get(
            "dcat_dataset_show",
            None,
            &[("id", "cong-khai"), ("format", "jsonld")],
        )
        .await
        .ok();
    assert!(shown.as_str().unwrap().starts_with("{\"@context\""));
}

/// `python3` that can import pyshacl: the system's, or a folder installed with pip on first
/// use (as the ckanapi test does).
fn pyshacl_path() -> Option<PathBuf> {
    let system = Command::new("python3")
        .args(["-c", "import pyshacl"])
        .status();
    if system.is_ok_and(|s| s.success()) {
        return None;
    }
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pyshacl-packages");
    if target.join("pyshacl").exists() {
        return Some(target);
    }
    let staging = target.with_extension(format!("partial-{}", std::process::id()));
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
        ])
        .arg(&staging)
        .arg("pyshacl")
        .status()
        .expect("python3 with pip is needed for the SHACL test");
    assert!(status.success(), "pip install pyshacl failed");
    if std::fs::rename(&staging, &target).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    Some(target)
}

/// pyshacl's text report of `data` against `shapes`: (conforms, [(focus node, path, severity)]).
fn shacl(
    packages: &Option<PathBuf>,
    data: &Path,
    format: &str,
    shapes: &Path,
) -> (bool, Vec<(String, String, String)>) {
    let mut command = Command::new("python3");
    // --allow-warnings: "Conforms" speaks of violations only.
    command
        .args(["-m", "pyshacl", "--allow-warnings", "-s"])
        .arg(shapes)
        .args(["-sf", "turtle", "-df", format])
        .arg(data);
    if let Some(packages) = packages {
        command.env("PYTHONPATH", packages);
    }
    let output = command.output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        text.contains("Conforms:"),
        "pyshacl failed: {text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut results = Vec::new();
    let (mut focus, mut path, mut severity) = (String::new(), String::new(), String::new());
    for line in text.lines().map(str::trim) {
        if let Some(s) = line.strip_prefix("Severity: ") {
            severity = s.to_owned();
        } else if let Some(f) = line.strip_prefix("Focus Node: ") {
            focus = f.to_owned();
        } else if let Some(p) = line.strip_prefix("Result Path: ") {
            path = p.to_owned();
        } else if line.starts_with("Message:") {
            results.push((
                std::mem::take(&mut focus),
                std::mem::take(&mut path),
                std::mem::take(&mut severity),
            ));
        }
    }
    (text.contains("Conforms: True"), results)
}

/// Recommended properties our data has no value for anywhere: places have no geometry,
/// the catalogue names no place code.
const NEVER_KNOWN: &[&str] = &["dcat:bbox", "dcat:centroid"];

#[tokio::test]
async fn every_export_validates_against_the_dcat_ap_shapes() {
    let packages = tokio::task::spawn_blocking(pyshacl_path).await.unwrap();
    let app = spawn_app(Backend::Sqlite).await;
    dataportal::demo::load_demo(&app.catalog).await.unwrap();
    let org = "van-phong-ubnd-tinh";
    // Edge cases beside the demo catalogue.
    let long = "Mô tả rất dài với \"ngoặc kép\", & và <thẻ>. ".repeat(1500);
    let nfd = "Gia\u{301} \u{111}a\u{302}\u{301}t theo phu\u{31b}o\u{31b}\u{300}ng"; // "Giá đất theo phường"
    let edge = [
        json!({"name": "khong-giay-phep", "title": "Không giấy phép, không tài nguyên", "owner_org": org, "license_id": ""}),
        json!({"name": "ky-tu-dac-biet", "title": "Tiêu đề \"trích\" & <b>đậm</b> ]]>", "notes": long, "owner_org": org,
               "resources": [{"name": "Tệp & <dữ liệu>", "url": "https://example.org/tệp có dấu cách.csv", "format": "csv"}]}),
        json!({"name": "chu-to-hop", "title": nfd, "notes": nfd, "owner_org": org, "tags": [{"name": nfd}]}),
        json!({"name": "khong-tieng-anh", "title": "Chỉ có tiếng Việt", "notes": "Không có bản tiếng Anh", "owner_org": org, "license_id": "other-open"}),
    ];
    for dict in edge {
        app.admin("package_create", dict).await.ok();
    }
    let mut full = dataset("day-du", org);
    full["resources"] = json!([{"name": "Bảng giá (CSV)", "description": "Tệp CSV gốc", "format": "CSV",
        "url": "https://data.tayninh.gov.vn/files/bang-gia-dat.csv"}]);
    app.admin("package_create", full).await.ok();

    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dcat-ap-3.0.1");
    let dir = tempfile::tempdir().unwrap();
    // shapes.ttl, range.ttl and shapes_recommended.ttl as one shapes graph (Turtle allows
    // prefixes declared twice), so one pyshacl process checks a format: violations come
    // from the first two, warnings from the third.
    let all_shapes = dir.path().join("shapes.ttl");
    let text: Vec<String> = ["shapes.ttl", "range.ttl", "shapes_recommended.ttl"]
        .iter()
        .map(|f| std::fs::read_to_string(shared.join(f)).unwrap())
        .collect();
    std::fs::write(&all_shapes, text.join("\n")).unwrap();

    for (ext, syntax) in [("rdf", "xml"), ("ttl", "turtle"), ("jsonld", "json-ld")] {
        let (status, _, body) = fetch(&app, &format!("/catalog.{ext}?page=all"), None).await;
        assert_eq!(status, 200);
        let count = parse(
            body.as_bytes(),
            Format::from_extension(ext).unwrap(),
            CAP,
            None,
        )
        .unwrap()
        .datasets
        .len();
        assert_eq!(count, 325, "{ext}: the demo's 320 and 5 edge cases");
        let data = dir.path().join(format!("catalog.{ext}"));
        std::fs::write(&data, &body).unwrap();

        let (packages, shapes) = (packages.clone(), all_shapes.clone());
        let (conforms, results) =
            tokio::task::spawn_blocking(move || shacl(&packages, &data, syntax, &shapes))
                .await
                .unwrap();
        let violations: Vec<_> = results.iter().filter(|r| r.2 != "sh:Warning").collect();
        assert!(
            conforms && violations.is_empty(),
            "{ext}: violations {violations:#?}"
        );
        let warnings: Vec<_> = results.iter().filter(|r| r.2 == "sh:Warning").collect();
        assert!(
            !warnings.is_empty(),
            "{ext}: the recommended shapes were not applied"
        );
        let site = &app.address;
        let full_id = app
            .get("package_show", None, &[("id", "day-du")])
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for (focus, path, _) in warnings {
            // The dataset with every field filled, and its file, draw no warning at all.
            assert!(
                !focus.contains(&format!("{site}/dataset/{full_id}")),
                "{ext}: {focus} {path}"
            );
            // Nor does the catalogue, beyond what nobody knows.
            if focus.contains(&format!("{site}/catalog")) {
                assert_eq!(path, "dct:spatial", "{ext}: the catalogue lacks {path}");
            }
            let known_gap = NEVER_KNOWN.contains(&path.as_str())
                || [
                    "dcat:keyword",
                    "dcat:contactPoint",
                    "dct:spatial",
                    "dct:temporal",
                    "dcat:theme",
                    "dcat:distribution",
                    "dct:description",
                    "dct:format",
                    "dct:license",
                    "dcat:startDate",
                    "dcat:endDate",
                ]
                .contains(&path.as_str());
            assert!(known_gap, "{ext}: unexpected warning {focus} {path}");
        }
    }
}
