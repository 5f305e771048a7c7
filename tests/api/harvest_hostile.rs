//! Hostile or broken sources, served by a small local server: each pull fails cleanly, its run
//! marked Failed with the reason recorded, and nothing of the catalogue touched: CKAN and DCAT
//! sources alike. Unknown types and bad fields are refused up front.

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::harvest_support::run;
use crate::helpers::{fresh_database, spawn_with, test_settings, Backend};

/// An RDF/XML reply's head.
fn rdf_head(length: usize) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/rdf+xml\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n")
}

/// `http://host:port` of the request, from its Host header.
fn server_of(head: &str) -> String {
    let host = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("host")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_default();
    format!("http://{host}")
}

/// Answers `/MODE/api/3/action/package_search` (CKAN) or `/dcat-MODE/catalog.ttl` (DCAT) as
/// MODE says.
async fn hostile(mut socket: TcpStream) {
    let mut buf = vec![0u8; 8192];
    let Ok(n) = socket.read(&mut buf).await else {
        return;
    };
    let head = String::from_utf8_lossy(&buf[..n]).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mode = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .to_owned();
    let json_head = |length: usize| {
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n")
    };
    match mode.as_str() {
        "invalid" => {
            let body = "{\"success\": true, \"result\": {\"count\": 1, \"results\": [";
            let _ = socket
                .write_all(format!("{}{body}", json_head(body.len())).as_bytes())
                .await;
        }
        "huge" => {
            // 50 MB without a declared length: the cap must stop the read itself.
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{\"success\": true, \"result\": {\"count\": 1, \"results\": [\"")
                .await;
            let chunk = vec![b'a'; 1 << 20];
            for _ in 0..50 {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        "endless" => {
            // Every page full, the count never reached, the records new each time.
            let start = path
                .split("start=")
                .nth(1)
                .and_then(|s| s.split('&').next())
                .unwrap_or("0")
                .to_owned();
            let body = json!({"success": true, "result": {"count": 1_000_000_000u64, "results": [
                {"id": format!("vong-lap-{start}"), "name": format!("vong-lap-{start}"), "title": "Vòng lặp",
                 "metadata_modified": "2026-01-01T00:00:00"}
            ]}})
            .to_string();
            let _ = socket
                .write_all(format!("{}{body}", json_head(body.len())).as_bytes())
                .await;
        }
        "dcat-invalid" => {
            let body = "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description";
            let _ = socket
                .write_all(format!("{}{body}", rdf_head(body.len())).as_bytes())
                .await;
        }
        "dcat-laughs" => {
            // Billion laughs: ten levels of ten references, 10^9 "lol"s once expanded.
            let mut body =
                String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
            body.push_str(
                "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n",
            );
            for level in 2..=9 {
                let refs = format!("&lol{};", level - 1).repeat(10);
                body.push_str(&format!("<!ENTITY lol{level} \"{refs}\">\n"));
            }
            body.push_str("]>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:dct=\"http://purl.org/dc/terms/\"><rdf:Description rdf:about=\"http://x/d\"><dct:title>&lol9;</dct:title></rdf:Description></rdf:RDF>");
            let _ = socket
                .write_all(format!("{}{body}", rdf_head(body.len())).as_bytes())
                .await;
        }
        "dcat-huge" => {
            // 50 MB of Turtle without a declared length.
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/turtle\r\nconnection: close\r\n\r\n<http://x/d> <http://purl.org/dc/terms/title> \"")
                .await;
            let chunk = vec![b'a'; 1 << 20];
            for _ in 0..50 {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        "dcat-endless" | "dcat-loop" => {
            // A page with one dataset whose hydra:next is always a new page, or itself.
            let page: u64 = path
                .split("page=")
                .nth(1)
                .and_then(|s| s.split('&').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(1);
            let next = if mode == "dcat-loop" { page } else { page + 1 };
            let body = format!(
                "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n\
                 <http://x/dataset/{page}> a dcat:Dataset ; dct:identifier \"vong-lap-{page}\" ; dct:title \"Vòng lặp {page}\"@vi .\n\
                 <{server}/{mode}/catalog.ttl?page={page}> a hydra:PagedCollection ; hydra:totalItems 1000000000 ;\n\
                 hydra:nextPage <{server}/{mode}/catalog.ttl?page={next}> .\n",
                server = server_of(&head),
            );
            let _ = socket
                .write_all(format!("HTTP/1.1 200 OK\r\ncontent-type: text/turtle\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).as_bytes())
                .await;
        }
        "html" | "dcat-html" => {
            let body = "<html><body>Bảo trì / maintenance</body></html>";
            let _ = socket
                .write_all(format!("HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).as_bytes())
                .await;
        }
        _ => {
            // "slow": never answers within the client's timeout.
            tokio::time::sleep(Duration::from_secs(20)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_sources_fail_cleanly_with_the_reason_recorded() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    let serving = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(hostile(socket));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(Backend::Sqlite, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.harvest.request_timeout_secs = 1;
    settings.harvest.max_pages = 5;
    settings.harvest.job_max_attempts = 1;
    settings.harvest.send_attempts = 1;
    let app = spawn_with(settings, Backend::Sqlite, pg, dir).await;
    app.organization("tong-hop").await;

    for (mode, expected) in [
        ("invalid", "unreadable reply"),
        ("huge", "reply larger than"),
        ("endless", "more than 5 pages"),
        ("html", "wrong content type"),
        ("slow", "timed out"),
    ] {
        app.admin(
            "harvest_source_create",
            json!({"name": format!("nguon-{mode}"), "url": format!("{server}/{mode}"),
                   "source_type": "ckan", "owner_org": "tong-hop", "config": {"rows": 1}}),
        )
        .await
        .ok();
        let job = run(&app, json!({"source_id": format!("nguon-{mode}")})).await;
        assert_eq!(job["status"], "Failed", "{mode}: {job}");
        let error = job["error"].as_str().unwrap_or("");
        assert!(error.contains(expected), "{mode}: {job}");
        assert!(job["finished"].is_string(), "{mode}: {job}");
    }
    // The endless source's first pages were read, each record taken or refused with its
    // error; the failure deleted nothing.
    let source = app
        .admin("harvest_source_show", json!({"id": "nguon-endless"}))
        .await
        .ok();
    let taken = source["last_job"]["stats"]["added"].as_i64().unwrap()
        + source["last_job"]["stats"]["errored"].as_i64().unwrap();
    assert_eq!(taken, 5, "{source}");
    assert_eq!(source["last_job"]["stats"]["deleted"], 0, "{source}");
    serving.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_dcat_sources_fail_cleanly_with_the_reason_recorded() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    let serving = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(hostile(socket));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(Backend::Sqlite, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    settings.harvest.request_timeout_secs = 1;
    settings.harvest.max_pages = 5;
    settings.harvest.job_max_attempts = 1;
    settings.harvest.send_attempts = 1;
    let app = spawn_with(settings, Backend::Sqlite, pg, dir).await;
    app.organization("tong-hop").await;

    for (mode, expected) in [
        ("dcat-invalid", "invalid RDF/XML"),
        ("dcat-laughs", "DOCTYPE"),
        ("dcat-huge", "reply larger than"),
        ("dcat-endless", "more than 5 pages"),
        ("dcat-loop", "a loop"),
        ("dcat-html", "wrong content type"),
        ("dcat-slow", "timed out"),
    ] {
        app.admin(
            "harvest_source_create",
            json!({"name": format!("nguon-{mode}"), "url": format!("{server}/{mode}/catalog.ttl"),
                   "source_type": "dcat", "owner_org": "tong-hop"}),
        )
        .await
        .ok();
        let job = run(&app, json!({"source_id": format!("nguon-{mode}")})).await;
        assert_eq!(job["status"], "Failed", "{mode}: {job}");
        let error = job["error"].as_str().unwrap_or("");
        assert!(error.contains(expected), "{mode}: {job}");
        assert!(job["finished"].is_string(), "{mode}: {job}");
    }
    // The endless catalogue's five pages were taken, one dataset each; the loop's one page
    // too; neither failure deleted anything.
    for (mode, pages) in [("dcat-endless", 5), ("dcat-loop", 1)] {
        let source = app
            .admin(
                "harvest_source_show",
                json!({"id": format!("nguon-{mode}")}),
            )
            .await
            .ok();
        assert_eq!(source["last_job"]["stats"]["added"], pages, "{source}");
        assert_eq!(source["last_job"]["stats"]["deleted"], 0, "{source}");
    }
    serving.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsupported_types_and_bad_fields_are_refused() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    app.organization("tong-hop").await;
    let unknown = app
        .admin("harvest_source_create", json!({"name": "oai", "url": "https://x.gov.vn/oai", "source_type": "oai-pmh", "owner_org": "tong-hop"}))
        .await
        .err(409);
    assert!(
        unknown["source_type"][0].as_str().unwrap().contains("dcat"),
        "{unknown}"
    );
    let bad = app
        .admin("harvest_source_create", json!({"name": "Sai Tên", "url": "javascript:alert(1)", "source_type": "ftp", "owner_org": "khong-co", "frequency": "yearly", "config": "[1]"}))
        .await
        .err(409);
    for field in [
        "name",
        "url",
        "source_type",
        "owner_org",
        "frequency",
        "config",
    ] {
        assert!(bad[field].is_array(), "{field}: {bad}");
    }
    let missing = app
        .admin(
            "harvest_target_create",
            json!({"name": "quoc-gia", "url": "https://data.gov.vn", "target_type": "ckan"}),
        )
        .await
        .err(409);
    for field in ["token", "remote_owner_org"] {
        assert!(missing[field].is_array(), "{field}: {missing}");
    }
    app.admin("harvest_job_create", json!({})).await.err(409);
    app.admin("harvest_job_create", json!({"source_id": "khong-co"}))
        .await
        .err(404);
    app.admin("harvest_job_show", json!({"id": "khong-co"}))
        .await
        .err(404);
    let anonymous = app.post("harvest_source_list", None, json!({})).await;
    anonymous.err(403);
}
