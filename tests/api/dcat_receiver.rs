//! A small DCAT endpoint for the push tests: it keeps every request it accepts (method, path,
//! headers, body) and can be told to fail the next requests with a status.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request the receiving server got.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A DCAT endpoint that keeps every request it accepts and answers 201 to PUT and POST, 204
/// to DELETE; while `failing` counts above zero, it answers that failure's status instead.
pub struct Receiver {
    pub address: String,
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
    pub async fn start() -> Receiver {
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
    pub fn fail(&self, count: usize, status: u16) {
        *self.failing.lock().unwrap() = (count, status);
    }

    pub fn taken(&self) -> Vec<Received> {
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
