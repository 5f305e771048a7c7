//! Findings of the security probe (issue 7) in the HTTP layer: unreadable credentials, request
//! bodies that never finish, and floods of anonymous calls.

use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::both_backends;
use crate::helpers::{
    dataset, fresh_database, spawn_app, spawn_with, test_settings, Backend, Reply, TestApp,
};
use dataportal::config::Settings;

both_backends!(
    unreadable_credentials_are_refused_not_taken_as_anonymous,
    a_body_shorter_than_declared_gets_408_when_it_stalls,
    a_trickling_json_body_gets_408_at_the_deadline,
    an_unfinished_multipart_upload_gets_408_and_leaves_no_temp_file,
    a_trickling_upload_gets_408_after_the_grace_period,
    a_slow_but_steady_upload_outlasts_the_body_deadline,
    an_anonymous_flood_gets_429_with_retry_after_but_sysadmins_do_not,
    no_call_is_refused_for_its_rate_when_the_limit_is_off,
);

/// The portal with test settings changed by `tune`.
async fn spawn_tuned(backend: Backend, tune: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, pg_database) = fresh_database(backend, dir.path());
    let mut settings = test_settings(dir.path(), &url);
    tune(&mut settings);
    spawn_with(settings, backend, pg_database, dir).await
}

/// Body limits short enough to watch: 1 s idle, 2 s per JSON body, uploads at least
/// 1 KiB/s after 1 s; connections closed 0.5 s after their reply.
async fn spawn_impatient(backend: Backend) -> TestApp {
    spawn_tuned(backend, |s| {
        s.server.body_idle_timeout_secs = 1;
        s.server.body_timeout_secs = 2;
        s.server.upload_grace_secs = 1;
        s.server.upload_min_bytes_per_sec = 1024;
        s.server.client_disconnect_timeout_ms = 500;
    })
    .await
}

/// Well past every limit of `spawn_impatient`, well short of "held forever".
const PATIENCE: Duration = Duration::from_secs(8);

/// Opens a raw connection and sends a request head (no body yet).
async fn send_head(app: &TestApp, action: &str, headers: &[(&str, String)]) -> TcpStream {
    let host = app.address.trim_start_matches("http://");
    let mut head = format!("POST /api/3/action/{action} HTTP/1.1\r\nHost: {host}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = TcpStream::connect(host).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// Reads one reply: its status and JSON body, or `None` if the server closed without
/// answering. Panics if nothing happens within `PATIENCE`.
async fn read_reply(stream: &mut (impl AsyncReadExt + Unpin)) -> Option<(u16, Value)> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|n| n.trim().parse().unwrap())
                })
                .expect("replies carry a Content-Length");
            if body.len() >= length {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                return Some((status, serde_json::from_str(body).unwrap_or(Value::Null)));
            }
        }
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("the server must answer or close within the time limits");
        match read {
            Ok(0) | Err(_) => return None,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
}

/// Waits for the server to close the connection (it lingers a moment after a 408 so the client
/// can read it, then lets go).
async fn assert_closed(stream: &mut (impl AsyncReadExt + Unpin)) {
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection is closed after a 408");
}

fn assert_timed_out(reply: Option<(u16, Value)>) {
    let (status, body) = reply.expect("a 408 reply, not a bare close");
    let error = Reply { status, body }.err(408);
    assert_eq!(error["code"], "request_timeout");
    assert_eq!(error["__type"], "Request Timeout");
}

/// Files left in the upload staging folder.
fn staged_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_dir.join("files").join("tmp"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

/// An upload to a new dataset, sent by hand: the request head, the multipart body up to the
/// file's first byte, and its end (the closing boundary).
struct RawUpload {
    headers: Vec<(&'static str, String)>,
    start: Vec<u8>,
    end: Vec<u8>,
}

/// Creates the dataset and writes the upload of a file of `file_bytes` bytes.
async fn raw_upload(app: &TestApp, file_bytes: usize) -> RawUpload {
    app.organization("so-xay-dung").await;
    app.admin(
        "package_create",
        dataset("quy-hoach-xay-dung", "so-xay-dung"),
    )
    .await
    .ok();
    let boundary = "ranh-gioi-7MA4YWxkTrZu0gW";
    let start = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"package_id\"\r\n\r\nquy-hoach-xay-dung\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"ban-do.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    );
    let end = format!("\r\n--{boundary}--\r\n");
    let headers = vec![
        ("Authorization", app.admin_token.clone()),
        (
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        ),
        (
            "Content-Length",
            (start.len() + file_bytes + end.len()).to_string(),
        ),
    ];
    RawUpload {
        headers,
        start: start.into_bytes(),
        end: end.into_bytes(),
    }
}

/// Sends `chunk` every `every`, at most `times` times, stopping when the server closes.
fn trickle(
    mut writer: tokio::net::tcp::OwnedWriteHalf,
    chunk: Vec<u8>,
    every: Duration,
    times: usize,
) -> tokio::task::JoinHandle<tokio::net::tcp::OwnedWriteHalf> {
    tokio::spawn(async move {
        for _ in 0..times {
            if writer.write_all(&chunk).await.is_err() {
                break;
            }
            tokio::time::sleep(every).await;
        }
        writer
    })
}

async fn unreadable_credentials_are_refused_not_taken_as_anonymous(backend: Backend) {
    let app = spawn_app(backend).await;
    // Latin-1 "khóa" and raw UTF-8 bytes: legal on the wire (obs-text), unreadable as a token.
    for value in [&b"kh\xf3a"[..], "khóa-bí-mật".as_bytes()] {
        for header in ["Authorization", "X-CKAN-API-Key"] {
            let response = app
                .client
                .get(format!("{}/api/3/action/package_list", app.address))
                .header(header, HeaderValue::from_bytes(value).unwrap())
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.json().await.unwrap();
            let error = Reply { status, body }.err(403);
            assert_eq!(error["code"], "not_authorized", "{header}");
        }
    }
    // Sent but empty still means nobody, as CKAN clients send an empty key when they have none.
    app.get("package_list", Some(""), &[]).await.ok();
}

async fn a_body_shorter_than_declared_gets_408_when_it_stalls(backend: Backend) {
    let app = spawn_impatient(backend).await;
    let mut stream = send_head(
        &app,
        "package_search",
        &[
            ("Content-Type", "application/json".to_owned()),
            ("Content-Length", "1000".to_owned()),
        ],
    )
    .await;
    stream.write_all(br#"{"q": "ab"#).await.unwrap();
    let started = Instant::now();
    assert_timed_out(read_reply(&mut stream).await);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "not before the idle limit"
    );
    assert_closed(&mut stream).await;

    // The server is still there for everyone else.
    app.get("package_list", None, &[]).await.ok();
}

async fn a_trickling_json_body_gets_408_at_the_deadline(backend: Backend) {
    let app = spawn_impatient(backend).await;
    let stream = send_head(
        &app,
        "package_search",
        &[
            ("Content-Type", "application/json".to_owned()),
            ("Content-Length", "1000".to_owned()),
        ],
    )
    .await;
    let (mut reader, writer) = stream.into_split();
    // A byte every 300 ms never trips the 1 s idle limit; only the 2 s deadline stops it.
    let writer = trickle(writer, b" ".to_vec(), Duration::from_millis(300), 30);
    let started = Instant::now();
    assert_timed_out(read_reply(&mut reader).await);
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "cut by the deadline"
    );
    writer.abort();
}

async fn an_unfinished_multipart_upload_gets_408_and_leaves_no_temp_file(backend: Backend) {
    let app = spawn_impatient(backend).await;
    let upload = raw_upload(&app, 100_000).await;
    let mut stream = send_head(&app, "resource_create", &upload.headers).await;
    stream.write_all(&upload.start).await.unwrap();
    stream.write_all(&[b'x'; 4000]).await.unwrap();
    // The file is being staged: the test exercises the temporary file, not only the fields.
    let staged_by = Instant::now() + Duration::from_secs(2);
    while staged_files(&app) == 0 && Instant::now() < staged_by {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        staged_files(&app),
        1,
        "the upload reached the staging folder"
    );

    assert_timed_out(read_reply(&mut stream).await);
    assert_eq!(staged_files(&app), 0, "the temporary file is removed");
    assert_closed(&mut stream).await;
    let dataset = app
        .get("package_show", None, &[("id", "quy-hoach-xay-dung")])
        .await
        .ok();
    assert_eq!(dataset["num_resources"], 1, "only the dataset's own link");
}

async fn a_trickling_upload_gets_408_after_the_grace_period(backend: Backend) {
    let app = spawn_impatient(backend).await;
    let upload = raw_upload(&app, 100_000).await;
    let mut stream = send_head(&app, "resource_create", &upload.headers).await;
    stream.write_all(&upload.start).await.unwrap();
    let (mut reader, writer) = stream.into_split();
    // 10 bytes/s: never idle for 1 s, far below 1 KiB/s.
    let writer = trickle(writer, b"x".to_vec(), Duration::from_millis(100), 100);
    assert_timed_out(read_reply(&mut reader).await);
    writer.abort();
    assert_eq!(staged_files(&app), 0, "the temporary file is removed");
}

async fn a_slow_but_steady_upload_outlasts_the_body_deadline(backend: Backend) {
    let app = spawn_impatient(backend).await;
    let chunks = 30;
    let upload = raw_upload(&app, chunks * 400).await;
    let mut stream = send_head(&app, "resource_create", &upload.headers).await;
    stream.write_all(&upload.start).await.unwrap();
    // 4 KB/s for 3 s: longer than a JSON body may take, faster than an upload must go.
    for _ in 0..chunks {
        stream.write_all(&[b'y'; 400]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stream.write_all(&upload.end).await.unwrap();
    let (status, body) = read_reply(&mut stream).await.expect("a reply");
    let resource = Reply { status, body }.ok();
    assert_eq!(resource["size"], chunks * 400);
}

/// Calls `package_list` until a 429, at most `tries` times; the replies before it and the 429.
async fn call_until_limited(
    app: &TestApp,
    token: Option<&str>,
    tries: usize,
) -> (usize, Option<reqwest::Response>) {
    for done in 0..tries {
        let mut request = app
            .client
            .get(format!("{}/api/3/action/package_list", app.address));
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        let response = request.send().await.unwrap();
        if response.status() == 429 {
            return (done, Some(response));
        }
        assert!(response.status().is_success() || response.status() == 403);
    }
    (tries, None)
}

async fn an_anonymous_flood_gets_429_with_retry_after_but_sysadmins_do_not(backend: Backend) {
    let app = spawn_tuned(backend, |s| {
        s.rate_limit.enabled = true;
        s.rate_limit.per_second = 1;
        s.rate_limit.burst = 3;
    })
    .await;
    let editor = app.create_user("bien-tap-vien", false).await;

    let (accepted, refused) = call_until_limited(&app, None, 12).await;
    assert!(accepted >= 3, "the burst is served");
    let refused = refused.expect("a flood is refused");
    let retry_after: u64 = refused.headers()["Retry-After"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["success"], json!(false));
    assert_eq!(body["error"]["__type"], "Too Many Requests");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Quá nhiều yêu cầu"));

    // A token that cannot be used counts against the address: no way round by guessing.
    let (_, refused) = call_until_limited(&app, Some("khong-phai-khoa"), 5).await;
    assert!(refused.is_some(), "a bad token is limited like the address");

    // A sysadmin is never limited; another user has a quota of their own.
    for _ in 0..20 {
        app.get("package_list", Some(&app.admin_token), &[])
            .await
            .ok();
    }
    let (accepted, refused) = call_until_limited(&app, Some(&editor), 12).await;
    assert!(accepted >= 3, "the editor's own burst is served");
    assert!(refused.is_some(), "the editor's quota is finite");
}

async fn no_call_is_refused_for_its_rate_when_the_limit_is_off(backend: Backend) {
    let app = spawn_tuned(backend, |s| {
        s.rate_limit.enabled = false;
        s.rate_limit.per_second = 1;
        s.rate_limit.burst = 1;
    })
    .await;
    let (accepted, refused) = call_until_limited(&app, None, 20).await;
    assert_eq!((accepted, refused.is_none()), (20, true));
}
