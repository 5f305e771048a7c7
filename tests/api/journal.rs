//! The index follows the change journal, whoever wrote to it.

use std::time::{Duration, Instant};

use dataportal::catalog::{actions, Actor};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(a_write_by_another_process_reaches_the_servers_search_within_seconds);

/// As the CLI writing while the server runs: a second view of the same database, without a
/// search index, creates a dataset; the running server finds it by search within seconds.
async fn a_write_by_another_process_reaches_the_servers_search_within_seconds(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-y-te").await;
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let other = dataportal::startup::open_context(&settings, "http://127.0.0.1").unwrap();
        assert!(other.search.is_none(), "a CLI-like process holds no index");
        actions::call_value(
            &other,
            &Actor::system(),
            "package_create",
            dataset("vien-phi-benh-vien", "so-y-te")
                .as_object()
                .unwrap(),
            None,
        )
        .unwrap();
    })
    .await
    .unwrap();
    let started = Instant::now();
    loop {
        let found = app
            .get("package_search", None, &[("fq", "name:vien-phi-benh-vien")])
            .await
            .ok();
        if found["count"] == json!(1) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server never indexed the other process's write: {found}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // And the server's own write is searchable the moment it is answered.
    app.admin("package_create", dataset("gia-dat-2026", "so-y-te"))
        .await
        .ok();
    let own = app
        .get("package_search", None, &[("fq", "name:gia-dat-2026")])
        .await
        .ok();
    assert_eq!(own["count"], 1, "{own}");
}
