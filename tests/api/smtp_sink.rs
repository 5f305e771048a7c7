//! A tiny SMTP server for the tests: listens on 127.0.0.1 port 0, says yes to everything, and
//! records each message (envelope recipients and the raw data) for the test to read.
//!
//! Written here rather than taken from a crate: the SMTP server crates (mailin-embedded,
//! samotop) bring their own TLS stacks and thread pools for what is forty lines of the plain
//! protocol on the test's tokio runtime (RFC 5321's EHLO/MAIL/RCPT/DATA/QUIT, no extensions).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the relay received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    /// The message parsed (headers decoded, body decoded from its transfer encoding).
    pub fn text(&self) -> (String, String) {
        let parsed = mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a MIME message");
        let subject = parsed.subject().unwrap_or_default().to_owned();
        let body = parsed.body_text(0).unwrap_or_default().into_owned();
        (subject, body)
    }
}

/// A running sink; stops with the test's runtime.
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    /// Starts the sink on a free port.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, store.clone()));
            }
        });
        SmtpSink { port, received }
    }

    /// The relay URL for `[mail] smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn session(socket: tokio::net::TcpStream, store: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut recipients = Vec::new();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink\r\n",
            "RCPT" => {
                let address = line.split(':').nth(1).unwrap_or_default();
                recipients.push(address.trim().trim_matches(['<', '>']).to_owned());
                b"250 OK\r\n"
            }
            "DATA" => {
                let _ = write.write_all(b"354 go on\r\n").await;
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    // Dot-stuffing (RFC 5321 4.5.2): a leading dot was doubled.
                    let line = line
                        .strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line);
                    data.push_str(line);
                    data.push_str("\r\n");
                }
                store.lock().unwrap().push(Received {
                    recipients: std::mem::take(&mut recipients),
                    data,
                });
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"250 OK\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}
