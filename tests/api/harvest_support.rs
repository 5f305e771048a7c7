//! What the harvest tests share: waiting for a run, the sources and targets they configure,
//! and a small fault-injecting TCP proxy standing in front of a real portal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::TestApp;

/// Waits until a run has ended (Finished or Failed) and returns its view.
pub async fn wait_job(app: &TestApp, id: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    loop {
        let job = app
            .admin("harvest_job_show", json!({ "id": id }))
            .await
            .ok();
        if matches!(job["status"].as_str(), Some("Finished" | "Failed")) {
            return job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run did not end: {job}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Starts a run of a source or target (`{"source_id": ..}` / `{"target_id": ..}`) and waits
/// for its end.
pub async fn run(app: &TestApp, owner: Value) -> Value {
    let job = app.admin("harvest_job_create", owner).await.ok();
    assert_eq!(job["status"], "New", "{job}");
    wait_job(app, job["id"].as_str().unwrap()).await
}

/// The figures of a run, as (added, updated, unchanged, deleted, errored).
pub fn stats(job: &Value) -> (i64, i64, i64, i64, i64) {
    let s = &job["stats"];
    let n = |k: &str| s[k].as_i64().unwrap();
    (
        n("added"),
        n("updated"),
        n("unchanged"),
        n("deleted"),
        n("errored"),
    )
}

/// Makes `remote` ready to receive pushes: the organisation and an editor's token.
pub async fn receiving_org(remote: &TestApp, org: &str) -> String {
    remote.organization(org).await;
    let token = remote.create_user("dong-bo", false).await;
    remote.member(org, "dong-bo", "editor").await;
    token
}

/// Creates a CKAN push target on `app`.
pub async fn ckan_target(app: &TestApp, name: &str, url: &str, token: &str, org: &str) -> Value {
    app.admin(
        "harvest_target_create",
        json!({"name": name, "title": "Cổng dữ liệu quốc gia", "url": url,
               "target_type": "ckan", "token": token, "remote_owner_org": org}),
    )
    .await
    .ok()
}

/// Datasets of an organisation at `app`, by name (private and deleted ones left out).
pub async fn datasets_of(app: &TestApp, org: &str) -> Vec<Value> {
    let found = app
        .get(
            "package_search",
            None,
            &[("fq", &format!("organization:{org}")), ("rows", "1000")],
        )
        .await
        .ok();
    found["results"].as_array().unwrap().clone()
}

/// What the proxy does with the next connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answers HTTP 500 and closes.
    Error500,
    /// Closes the connection at once, answering nothing.
    Drop,
    /// Forwards the request, then holds the reply past the client's timeout (the remote has
    /// done the work; the client does not learn it).
    SlowReply(Duration),
}

/// A TCP proxy in front of a portal, one request per connection (it asks the portal to close
/// after each, so every request is a connection it can count): the first requests meet the
/// faults listed, in order; later ones are forwarded. From request number `down_after` on,
/// every connection is dropped.
pub struct FaultProxy {
    pub address: String,
    pub down_after: Arc<AtomicUsize>,
    pub connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// Listens on `listener` and forwards to `upstream` (`127.0.0.1:port`).
    pub fn start(listener: TcpListener, upstream: String, faults: Vec<Fault>) -> FaultProxy {
        let address = format!("http://{}", listener.local_addr().unwrap());
        let down_after = Arc::new(AtomicUsize::new(usize::MAX));
        let connections = Arc::new(AtomicUsize::new(0));
        let (after, count) = (down_after.clone(), connections.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let n = count.fetch_add(1, Ordering::SeqCst);
                let fault = if n >= after.load(Ordering::SeqCst) {
                    Some(Fault::Drop)
                } else {
                    faults.get(n).copied()
                };
                tokio::spawn(serve(client, upstream.clone(), fault));
            }
        });
        FaultProxy {
            address,
            down_after,
            connections,
            task,
        }
    }
}

async fn serve(mut client: TcpStream, upstream: String, fault: Option<Fault>) {
    match fault {
        Some(Fault::Error500) => {
            let _ = read_request(&mut client).await;
            let _ = client
                .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\ncontent-length: 5\r\nconnection: close\r\n\r\noops!")
                .await;
        }
        Some(Fault::Drop) => drop(client),
        Some(Fault::SlowReply(delay)) => forward_one(client, &upstream, Some(delay)).await,
        None => forward_one(client, &upstream, None).await,
    }
}

/// Reads one request (head and `content-length` body).
async fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = client.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        request.extend_from_slice(&buf[..n]);
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while request.len() < head_end + length {
        let n = client.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        request.extend_from_slice(&buf[..n]);
    }
    // One request per connection: the portal is asked to close after its reply.
    let line_end = request.windows(2).position(|w| w == b"\r\n")? + 2;
    request.splice(line_end..line_end, b"connection: close\r\n".iter().copied());
    Some(request)
}

/// Forwards one request to the portal and its reply back, after `delay` if given.
async fn forward_one(mut client: TcpStream, upstream: &str, delay: Option<Duration>) {
    let Some(request) = read_request(&mut client).await else {
        return;
    };
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    if server.write_all(&request).await.is_err() {
        return;
    }
    let mut reply = Vec::new();
    let _ = server.read_to_end(&mut reply).await;
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let _ = client.write_all(&reply).await;
    let _ = client.shutdown().await;
}

/// `127.0.0.1:port` of an app, for the proxy.
pub fn upstream(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}
