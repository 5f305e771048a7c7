//! A push cut short and its process gone: a new server on the same database finds the job's
//! lock stale, resumes it where it stopped, and the target ends with every dataset once.

use std::time::Duration;

use serde_json::json;

use crate::both_backends;
use crate::harvest_support::{
    ckan_target, datasets_of, receiving_org, stats, upstream, wait_job, FaultProxy,
};
use crate::helpers::{
    dataset, fresh_database, spawn_app, spawn_existing, spawn_with, test_settings, Backend,
};

both_backends!(a_run_cut_by_a_dead_process_resumes_where_it_stopped);

async fn a_run_cut_by_a_dead_process_resumes_where_it_stopped(backend: Backend) {
    let kept = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, kept.path());
    let mut settings = test_settings(kept.path(), &url);
    settings.harvest.send_attempts = 1;
    // A configured key, the same for both processes (the second has a data folder of its own:
    // the first one's search index may still be closing).
    settings.harvest.secret_key = "khóa-niêm-phong-thử-nghiệm-đủ-dài-0123456789".to_owned();
    let mut first_settings = settings.clone();
    // The first process runs the job by hand below, so its own runner stays off.
    first_settings.harvest.runner_enabled = false;
    let b = spawn_app(backend).await;
    let a = spawn_with(first_settings, backend, None, tempfile::tempdir().unwrap()).await;
    a.organization("so-y-te").await;
    for name in ["co-so-kham-benh", "nha-thuoc", "tiem-chung", "benh-vien"] {
        a.admin("package_create", dataset(name, "so-y-te"))
            .await
            .ok();
    }
    let token = receiving_org(&b, "tay-ninh").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = FaultProxy::start(listener, upstream(&b), vec![]);
    ckan_target(&a, "quoc-gia", &proxy.address, &token, "tay-ninh").await;
    let job = a
        .admin("harvest_job_create", json!({"target_id": "quoc-gia"}))
        .await
        .ok();
    let id = job["id"].as_str().unwrap().to_owned();

    // The first process sends two datasets (a lookup and a create each), then the target
    // goes away: the run stops, its outcomes so far stored.
    proxy
        .down_after
        .store(4, std::sync::atomic::Ordering::SeqCst);
    let catalog = a.catalog.clone();
    let job_id = id.clone();
    tokio::task::spawn_blocking(move || {
        dataportal::jobs::run_one(&catalog, "first-process", Some(&job_id))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(datasets_of(&b, "tay-ninh").await.len(), 2);
    let cut = a.admin("harvest_job_show", json!({"id": id})).await.ok();
    assert_eq!(cut["status"], "Running", "{cut}");
    assert_eq!(stats(&cut).0, 2, "{cut}");

    // A process claims the job again and dies at once: its lock is left behind.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let catalog = a.catalog.clone();
    let claim_id = id.clone();
    let claimed = tokio::task::spawn_blocking(move || {
        dataportal::jobs::queue::claim(
            &catalog.db,
            "dead-process",
            Duration::from_secs(3),
            Some(&claim_id),
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert!(claimed.is_some());
    let admin_token = a.admin_token.clone();
    drop(a);

    // A new server on the same database, the target back: the stale lock is taken over and
    // the run finishes with what was left.
    proxy
        .down_after
        .store(usize::MAX, std::sync::atomic::Ordering::SeqCst);
    let second_dir = tempfile::tempdir().unwrap();
    settings.data_dir = second_dir.path().to_path_buf();
    let a = spawn_existing(settings, pg, second_dir, admin_token).await;
    let done = wait_job(&a, &id).await;
    assert_eq!(done["status"], "Finished", "{done}");
    assert_eq!(stats(&done), (4, 0, 0, 0, 0), "{done}");
    let names: Vec<String> = datasets_of(&b, "tay-ninh")
        .await
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    drop(a);
    drop(kept);
}
