//! A minimal HTTP/1.1 keep-alive client over `std::net::TcpStream`.
//!
//! Why not reqwest here: the `package_show` goal is p50 ≤ 1 ms, so the client
//! must add microseconds, not a share of the figure. reqwest's blocking client
//! hands every request to a tokio runtime on another thread and back
//! (two thread wake-ups, ~50–100 µs each way on a loaded 2-core box), which
//! would be charged to the server. This client writes the request with one
//! syscall and reads the response on the calling thread. It speaks just
//! enough HTTP for our own server: Content-Length and chunked bodies, no
//! redirects, no TLS. reqwest is still used for the streamed multipart upload.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};

/// A response: status code and the whole body.
#[derive(Debug)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Body bytes (de-chunked).
    pub body: Vec<u8>,
    /// Bytes of the body as sent (compressed when the server compressed it).
    pub wire_len: usize,
}

impl Response {
    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "HTTP {} body is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

/// One persistent connection to a server, reopened when the server closes it.
pub struct Conn {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
    /// Reused request buffer, so a request costs no allocation.
    out: Vec<u8>,
}

/// What a browser (and `ckanapi`, Python `requests`) sends with every request. Measuring
/// without `Accept-Encoding` once hid a 40–80× slowdown of real clients: compressed responses
/// went out in several TCP writes and stalled on delayed ACKs.
const BROWSER_HEADERS: &[(&str, &str)] = &[
    (
        "User-Agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    ),
    ("Accept", "application/json, text/html;q=0.9, */*;q=0.8"),
    ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ("Accept-Language", "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"),
];

/// Whether requests carry [`BROWSER_HEADERS`] (on unless `--plain-client`).
static SEND_BROWSER_HEADERS: AtomicBool = AtomicBool::new(true);

/// Sends the browser's headers with every request from now on, or none.
pub fn set_browser_headers(on: bool) {
    SEND_BROWSER_HEADERS.store(on, Ordering::Relaxed);
}

/// Long enough for a slow `package_create` under load, short enough that a
/// hung server fails the run instead of stalling it.
const IO_TIMEOUT: Duration = Duration::from_secs(120);

impl Conn {
    /// A connection to `addr`, opened lazily by the first request.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            stream: None,
            out: Vec::with_capacity(8192),
        }
    }

    /// `GET target` (path and query).
    pub fn get(&mut self, target: &str) -> Result<Response> {
        self.request("GET", target, &[], &[])
    }

    /// `POST target` with a JSON body and optional `Authorization` token.
    pub fn post_json(
        &mut self,
        target: &str,
        token: Option<&str>,
        body: &[u8],
    ) -> Result<Response> {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(token) = token {
            headers.push(("Authorization", token));
        }
        self.request("POST", target, &headers, body)
    }

    /// Sends one request and reads the whole response.
    ///
    /// The server may close an idle keep-alive connection at any time. A GET
    /// on a reused connection that fails before any response byte arrives is
    /// therefore retried once on a fresh connection (GETs are idempotent).
    /// Other methods are never resent, since a server that dies mid-request
    /// may already have stored the dataset; instead a reused connection is
    /// first checked for a pending close (a cheap non-blocking peek).
    pub fn request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response> {
        self.out.clear();
        write!(
            self.out,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\n",
            self.addr
        )?;
        let browser = if SEND_BROWSER_HEADERS.load(Ordering::Relaxed) {
            BROWSER_HEADERS
        } else {
            &[]
        };
        for (name, value) in browser.iter().chain(headers) {
            write!(self.out, "{name}: {value}\r\n")?;
        }
        if !body.is_empty() || method != "GET" {
            write!(self.out, "Content-Length: {}\r\n", body.len())?;
        }
        self.out.extend_from_slice(b"\r\n");
        self.out.extend_from_slice(body);

        let idempotent = method == "GET" || method == "HEAD";
        if !idempotent
            && self
                .stream
                .as_ref()
                .is_some_and(|s| peer_closed(s.get_ref()))
        {
            self.stream = None;
        }
        let reused = self.stream.is_some();
        match self.exchange() {
            Ok(resp) => Ok(resp),
            Err(Exchange::BeforeResponse(_)) if reused && idempotent => {
                self.stream = None;
                self.exchange().map_err(Exchange::into_error)
            }
            Err(e) => {
                self.stream = None;
                Err(e.into_error())
            }
        }
        .with_context(|| format!("{method} http://{}{target}", self.addr))
    }

    /// Writes the prepared request and reads the response.
    fn exchange(&mut self) -> std::result::Result<Response, Exchange> {
        if self.stream.is_none() {
            self.stream = Some(self.connect().map_err(Exchange::During)?);
        }
        let reader = self
            .stream
            .as_mut()
            .ok_or_else(|| Exchange::During(anyhow!("no connection")))?;
        reader
            .get_mut()
            .write_all(&self.out)
            .map_err(|e| Exchange::BeforeResponse(e.into()))?;
        let mut status_line = String::new();
        match reader.read_line(&mut status_line) {
            Ok(0) => return Err(Exchange::BeforeResponse(anyhow!("connection closed"))),
            Err(e) => return Err(Exchange::BeforeResponse(e.into())),
            Ok(_) => {}
        }
        let (resp, keep) = read_rest(reader, &status_line).map_err(Exchange::During)?;
        if !keep {
            self.stream = None;
        }
        Ok(resp)
    }

    /// Opens the TCP connection with Nagle off (requests are single writes;
    /// Nagle plus delayed ACKs would add 40 ms stalls).
    fn connect(&self) -> Result<BufReader<TcpStream>> {
        let stream = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT)
            .with_context(|| format!("connecting to {}", self.addr))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(IO_TIMEOUT))?;
        stream.set_write_timeout(Some(IO_TIMEOUT))?;
        Ok(BufReader::with_capacity(64 * 1024, stream))
    }
}

/// Whether the server has closed (or reset) an idle connection: a
/// non-blocking peek sees end-of-file or an error instead of "would block".
fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut byte = [0u8; 1];
    let closed = match stream.peek(&mut byte) {
        // End of file, or unsolicited bytes on an idle HTTP/1.1 connection:
        // unusable either way.
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    closed || stream.set_nonblocking(false).is_err()
}

/// Where an exchange failed: only failures before the response may be retried.
enum Exchange {
    BeforeResponse(anyhow::Error),
    During(anyhow::Error),
}

impl Exchange {
    fn into_error(self) -> anyhow::Error {
        match self {
            Exchange::BeforeResponse(e) | Exchange::During(e) => e,
        }
    }
}

/// Parses the rest of a response after its status line. Returns the response
/// and whether the connection may be reused.
fn read_rest(reader: &mut BufReader<TcpStream>, status_line: &str) -> Result<(Response, bool)> {
    let mut parts = status_line.split_ascii_whitespace();
    let version = parts.next().unwrap_or_default();
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("bad status line {status_line:?}"))?;
    let mut keep = version == "HTTP/1.1";
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut gzip = false;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            bail!("connection closed in the response headers");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            bail!("bad header line {header:?}");
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse()
                    .with_context(|| format!("Content-Length {value:?}"))?,
            );
        } else if name.eq_ignore_ascii_case("content-encoding") {
            gzip = value.eq_ignore_ascii_case("gzip");
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            let value = value.to_ascii_lowercase();
            keep = if keep {
                !value.contains("close")
            } else {
                value.contains("keep-alive")
            };
        }
    }
    let mut body = Vec::new();
    if chunked {
        read_chunked(reader, &mut body)?;
    } else if let Some(n) = length {
        body.resize(n, 0);
        reader
            .read_exact(&mut body)
            .context("reading the response body")?;
    } else if status != 204 && status != 304 {
        // No length: the body runs to the end of the connection.
        reader.read_to_end(&mut body)?;
        keep = false;
    }
    let wire_len = body.len();
    if gzip {
        let mut plain = Vec::with_capacity(body.len() * 4);
        flate2::read::GzDecoder::new(body.as_slice())
            .read_to_end(&mut plain)
            .context("decoding a gzip response")?;
        body = plain;
    }
    Ok((
        Response {
            status,
            body,
            wire_len,
        },
        keep,
    ))
}

/// Decodes a chunked body (RFC 9112 §7.1), discarding extensions and trailers.
fn read_chunked(reader: &mut BufReader<TcpStream>, body: &mut Vec<u8>) -> Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size_text = line.trim_end().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size_text.trim(), 16)
            .with_context(|| format!("bad chunk size {line:?}"))?;
        if size == 0 {
            // Trailer section ends with an empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                    return Ok(());
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Reads one request head (and no body: the test only sends GETs).
    fn read_head(reader: &mut BufReader<TcpStream>) -> String {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).expect("read") == 0 || line == "\r\n" {
                return head;
            }
            head.push_str(&line);
        }
    }

    #[test]
    fn chunked_length_close_and_stale_connections() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || {
            // Connection 1: a chunked reply, then a sized reply, then the
            // server drops the connection without saying so (stale keep-alive).
            let (s, _) = listener.accept().expect("accept");
            let mut r = BufReader::new(s);
            assert!(read_head(&mut r).starts_with("GET /a HTTP/1.1"));
            r.get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                .expect("write");
            assert!(read_head(&mut r).starts_with("GET /b HTTP/1.1"));
            r.get_mut()
                .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno")
                .expect("write");
            drop(r);
            // Connection 2: the retried request, answered with close.
            let (s, _) = listener.accept().expect("accept");
            let mut r = BufReader::new(s);
            assert!(read_head(&mut r).starts_with("GET /c HTTP/1.1"));
            r.get_mut()
                .write_all(
                    b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\n{\"a\"",
                )
                .expect("write");
        });
        let mut conn = Conn::new(addr);
        let a = conn.get("/a").expect("a");
        assert_eq!((a.status, a.body.as_slice()), (200, &b"abcde"[..]));
        let b = conn.get("/b").expect("b");
        assert_eq!((b.status, b.body.as_slice()), (404, &b"no"[..]));
        // Give the server time to close connection 1 before we reuse it.
        std::thread::sleep(Duration::from_millis(50));
        let c = conn.get("/c").expect("c is retried on a new connection");
        assert_eq!(c.body, b"{\"a\"");
        assert!(conn.stream.is_none(), "closed after Connection: close");
        server.join().expect("server thread");
    }

    #[test]
    fn post_is_not_resent_but_avoids_a_closed_connection() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || {
            let mut posts = 0;
            // Connection 1 answers once and is then closed by the server;
            // connection 2 must carry the POST, exactly once.
            for _ in 0..2 {
                let (s, _) = listener.accept().expect("accept");
                let mut r = BufReader::new(s);
                let head = read_head(&mut r);
                if head.starts_with("POST") {
                    posts += 1;
                    let mut body = [0u8; 2];
                    r.read_exact(&mut body).expect("body");
                    assert_eq!(&body, b"{}");
                }
                r.get_mut()
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                    .expect("write");
            }
            posts
        });
        let mut conn = Conn::new(addr);
        conn.get("/warm").expect("get");
        std::thread::sleep(Duration::from_millis(50));
        let resp = conn.post_json("/p", Some("tok"), b"{}").expect("post");
        assert_eq!(resp.status, 200);
        assert_eq!(server.join().expect("server thread"), 1);
    }
}
