//! Three real portals: A pushes its catalogue to B through B's CKAN API, C pulls A's CKAN API;
//! the copies match field by field, a second run does nothing, and what A makes private or
//! deletes leaves B and C. A target that fails for a while still gets everything, once.

use std::time::Duration;

use serde_json::{json, Value};

use crate::both_backends;
use crate::harvest_support::{
    ckan_target, datasets_of, receiving_org, run, stats, upstream, Fault, FaultProxy,
};
use crate::helpers::{dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend};

both_backends!(
    a_catalogue_pushed_and_pulled_arrives_whole_and_once,
    a_target_that_fails_for_a_while_gets_every_dataset_once,
);

/// The fields a copy must carry unchanged.
const SAME: &[&str] = &[
    "name",
    "title",
    "notes",
    "license_id",
    "frequency",
    "spatial_code",
    "spatial_name",
    "temporal_start",
    "temporal_end",
    "language",
    "contact_name",
    "contact_email",
    "title_en",
];

fn names(datasets: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = datasets
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

fn assert_same(original: &Value, copy: &Value) {
    for key in SAME {
        assert_eq!(original[key], copy[key], "{key} differs: {copy}");
    }
    let tags = |d: &Value| {
        let mut t: Vec<String> = d["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect();
        t.sort();
        t
    };
    assert_eq!(tags(original), tags(copy));
    assert_eq!(original["groups"][0]["name"], copy["groups"][0]["name"]);
    assert_eq!(original["resources"][0]["url"], copy["resources"][0]["url"]);
    assert_eq!(
        original["resources"][0]["name"],
        copy["resources"][0]["name"]
    );
}

async fn a_catalogue_pushed_and_pulled_arrives_whole_and_once(backend: Backend) {
    let (a, b, c) = tokio::join!(spawn_app(backend), spawn_app(backend), spawn_app(backend));
    a.organization("so-tai-chinh").await;
    let mut originals = Vec::new();
    for name in ["bang-gia-dat", "thu-chi-ngan-sach", "dau-tu-cong"] {
        originals.push(
            a.admin("package_create", dataset(name, "so-tai-chinh"))
                .await
                .ok(),
        );
    }
    let token = receiving_org(&b, "tay-ninh").await;

    // The token is write-only: no view carries it.
    let target = ckan_target(&a, "quoc-gia", &b.address, &token, "tay-ninh").await;
    assert_eq!(target["has_token"], true);
    for view in [
        target.clone(),
        a.admin("harvest_target_show", json!({"id": "quoc-gia"}))
            .await
            .ok(),
        a.admin("harvest_target_list", json!({})).await.ok(),
    ] {
        assert!(!view.to_string().contains(&token), "{view}");
    }
    let refused = a.post("harvest_target_list", Some(&token), json!({})).await;
    refused.err(403);

    let pushed = run(&a, json!({"target_id": "quoc-gia"})).await;
    assert_eq!(
        (pushed["status"].as_str(), stats(&pushed)),
        (Some("Finished"), (3, 0, 0, 0, 0)),
        "{pushed}"
    );
    let at_b = datasets_of(&b, "tay-ninh").await;
    assert_eq!(names(&at_b), names(&originals));
    for original in &originals {
        let copy = b
            .get(
                "package_show",
                None,
                &[("id", original["name"].as_str().unwrap())],
            )
            .await
            .ok();
        assert_same(original, &copy);
        let guid = copy["extras"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["key"] == "guid")
            .unwrap();
        assert_eq!(guid["value"], original["id"]);
    }

    // A second push sends nothing.
    let again = run(&a, json!({"target_id": "quoc-gia"})).await;
    assert_eq!(stats(&again), (0, 0, 3, 0, 0), "{again}");

    // C pulls A into its own organisation; a dataset of C that shares a name is left alone.
    c.organization("tong-hop").await;
    let own = c
        .admin("package_create", dataset("dau-tu-cong", "tong-hop"))
        .await
        .ok();
    c.admin(
        "harvest_source_create",
        json!({"name": "tinh-a", "url": a.address, "source_type": "ckan", "owner_org": "tong-hop", "config": {"rows": 2}}),
    )
    .await
    .ok();
    let pulled = run(&c, json!({"source_id": "tinh-a"})).await;
    assert_eq!(stats(&pulled), (3, 0, 0, 0, 0), "{pulled}");
    let at_c = datasets_of(&c, "tong-hop").await;
    assert_eq!(at_c.len(), 4);
    for original in &originals {
        let name = original["name"].as_str().unwrap();
        let local = if name == "dau-tu-cong" {
            "dau-tu-cong-tinh-a"
        } else {
            name
        };
        let copy = c.get("package_show", None, &[("id", local)]).await.ok();
        let mut expected = original.clone();
        expected["name"] = json!(local);
        assert_same(&expected, &copy);
    }
    let pulled_again = run(&c, json!({"source_id": "tinh-a"})).await;
    assert_eq!(stats(&pulled_again), (0, 0, 3, 0, 0), "{pulled_again}");

    // A changes one dataset, makes one private and deletes the third.
    a.admin(
        "package_patch",
        json!({"id": "bang-gia-dat", "title": "Bảng giá đất (sửa đổi)"}),
    )
    .await
    .ok();
    a.admin(
        "package_patch",
        json!({"id": "thu-chi-ngan-sach", "private": true}),
    )
    .await
    .ok();
    a.admin("package_delete", json!({"id": "dau-tu-cong"}))
        .await
        .ok();
    let pushed = run(&a, json!({"target_id": "quoc-gia"})).await;
    assert_eq!(stats(&pushed), (0, 1, 0, 2, 0), "{pushed}");
    assert_eq!(
        names(&datasets_of(&b, "tay-ninh").await),
        vec!["bang-gia-dat"]
    );
    let copy = b
        .get("package_show", None, &[("id", "bang-gia-dat")])
        .await
        .ok();
    assert_eq!(copy["title"], "Bảng giá đất (sửa đổi)");

    let pulled = run(&c, json!({"source_id": "tinh-a"})).await;
    assert_eq!(stats(&pulled), (0, 1, 0, 2, 0), "{pulled}");
    assert_eq!(
        names(&datasets_of(&c, "tong-hop").await),
        vec!["bang-gia-dat", "dau-tu-cong"]
    );
    let untouched = c
        .get("package_show", None, &[("id", "dau-tu-cong")])
        .await
        .ok();
    assert_eq!(untouched["id"], own["id"]);
    assert_eq!(untouched["metadata_modified"], own["metadata_modified"]);

    // The history of runs, newest first.
    let jobs = a
        .admin("harvest_job_list", json!({"target_id": "quoc-gia"}))
        .await
        .ok();
    assert_eq!(jobs.as_array().unwrap().len(), 3);
    assert_eq!(jobs[0]["id"], pushed["id"]);
}

async fn a_target_that_fails_for_a_while_gets_every_dataset_once(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.harvest.request_timeout_secs = 1;
    settings.harvest.send_attempts = 2;
    let (a, b) = tokio::join!(spawn_with(settings, backend, pg, dir), spawn_app(backend));
    a.organization("so-xay-dung").await;
    for name in ["quy-hoach-xay-dung", "giay-phep-xay-dung", "nha-o-xa-hoi"] {
        a.admin("package_create", dataset(name, "so-xay-dung"))
            .await
            .ok();
    }
    let token = receiving_org(&b, "tay-ninh").await;

    // Nothing listens on the target's port at first: connections are refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("http://127.0.0.1:{port}");
    ckan_target(&a, "quoc-gia", &address, &token, "tay-ninh").await;
    let job = a
        .admin("harvest_job_create", json!({"target_id": "quoc-gia"}))
        .await
        .ok();
    let id = job["id"].as_str().unwrap().to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let view = a.admin("harvest_job_show", json!({"id": id})).await.ok();
        if view["retry_at"].is_string() {
            assert_eq!(view["status"], "Running", "{view}");
            assert!(view["error"].is_string(), "{view}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{view}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Then the target answers 500, drops a connection, and answers too late (after doing
    // the work), before it recovers.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let faults = vec![
        Fault::Error500,
        Fault::Drop,
        Fault::SlowReply(Duration::from_millis(1500)),
        Fault::Error500,
    ];
    let proxy = FaultProxy::start(listener, upstream(&b), faults);
    let done = crate::harvest_support::wait_job(&a, &id).await;
    assert_eq!(done["status"], "Finished", "{done}");
    assert_eq!(stats(&done), (3, 0, 0, 0, 0), "{done}");
    assert!(proxy.connections.load(std::sync::atomic::Ordering::SeqCst) >= 4);
    let at_b = datasets_of(&b, "tay-ninh").await;
    assert_eq!(
        names(&at_b),
        vec!["giay-phep-xay-dung", "nha-o-xa-hoi", "quy-hoach-xay-dung"]
    );
    let again = run(&a, json!({"target_id": "quoc-gia"})).await;
    assert_eq!(stats(&again), (0, 0, 3, 0, 0), "{again}");
}
