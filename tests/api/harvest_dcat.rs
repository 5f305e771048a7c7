//! C pulls A's DCAT catalogue (two hydra pages, Turtle or RDF/XML) and the copies match field
//! by field; a second pull does nothing; what A changes or deletes follows; C's own datasets
//! stay.

use serde_json::{json, Value};

use crate::both_backends;
use crate::harvest_support::{datasets_of, run, stats};
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(a_dcat_catalogue_pulled_arrives_whole_and_follows_its_source);

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
    let (ours, theirs) = (
        original["resources"].as_array().unwrap(),
        copy["resources"].as_array().unwrap(),
    );
    assert_eq!(ours.len(), theirs.len(), "{copy}");
    for (mine, copied) in ours.iter().zip(theirs) {
        for key in [
            "name",
            "description",
            "url",
            "format",
            "mimetype",
            "size",
            "hash",
        ] {
            assert_eq!(mine[key], copied[key], "resource {key}: {copy}");
        }
        // An upload's file is not copied: the copy links to it.
        assert_eq!(copied["url_type"], "", "{copy}");
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
    // An uploaded file: its size and checksum travel in DCAT.
    let csv = "ma_xa,ten_xa,dan_so\n25747,Phường Tân Ninh,52000\n".repeat(40);
    let form = reqwest::multipart::Form::new()
        .text("package_id", "bo-du-lieu-010")
        .text("name", "Dân số theo xã")
        .part(
            "upload",
            reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("dan-so.csv"),
        );
    let uploaded: Value = a
        .client
        .post(format!("{}/api/3/action/resource_create", a.address))
        .header("Authorization", &a.admin_token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        uploaded["result"]["size"].as_i64().unwrap() > 0,
        "{uploaded}"
    );
    originals[10] = a
        .get("package_show", None, &[("id", "bo-du-lieu-010")])
        .await
        .ok();
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
    // Both syntaxes a dataportal serves its catalogue in: Turtle on one backend, RDF/XML on
    // the other.
    let syntax = match backend {
        Backend::Sqlite => "ttl",
        Backend::Postgres => "rdf",
    };
    c.admin(
        "harvest_source_create",
        json!({"name": "tinh-a", "title": "Tỉnh A (DCAT)", "url": format!("{}/catalog.{syntax}", a.address),
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
