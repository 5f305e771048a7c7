//! One `chromedriver` process per test, on a free port, shut down with the test.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's packages put them here (`chromium`, `chromium-driver`); CI installs them.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

const INSTALL_HINT: &str = "the browser tests need Debian's `chromium chromium-driver` \
     (apt-get install -y chromium chromium-driver; .ci/run installs them)";

/// A running chromedriver; shut down (and with it its Chromium) on Drop.
pub struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    /// Starts chromedriver on a free port and waits until it accepts sessions. Panics with the
    /// install hint when chromedriver or Chromium is missing: a skipped browser test would pass
    /// a page nobody has looked at.
    pub async fn start() -> Chromedriver {
        assert!(
            std::path::Path::new(CHROMIUM).exists(),
            "{CHROMIUM} not found: {INSTALL_HINT}"
        );
        // chromedriver takes no port 0, so a port is picked here and may be taken by someone
        // else before chromedriver binds it: then chromedriver exits and we try another.
        let mut last_failure = String::new();
        for _ in 0..5 {
            let port = free_port();
            let child = Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let child = match child {
                Ok(child) => child,
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    panic!("{CHROMEDRIVER} not found: {INSTALL_HINT}")
                }
                Err(e) => panic!("{CHROMEDRIVER} did not start: {e}"),
            };
            let mut driver = Chromedriver { child, port };
            match driver.wait_until_ready().await {
                Ok(()) => return driver,
                Err(failure) => last_failure = failure,
            }
        }
        panic!("chromedriver did not come up: {last_failure}")
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Polls `/status` until chromedriver says it is ready, or it exits (port taken), or 10 s.
    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "chromedriver exited ({status}) on port {}",
                    self.port
                ));
            }
            let reply = client.get(format!("{}/status", self.url())).send().await;
            if let Ok(reply) = reply {
                let body: serde_json::Value = reply.json().await.unwrap_or_default();
                if body["value"]["ready"] == true {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!(
            "chromedriver on port {} not ready in 10 s",
            self.port
        ))
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // Killing chromedriver alone would orphan its Chromium; `/shutdown` quits the
        // sessions' browsers first. Plain blocking std I/O: Drop cannot await, and the test's
        // runtime may already be shutting down (so fantoccini's own session close may never run).
        let _ = shutdown_request(self.port);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now (released at once, for chromedriver to bind).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free local port");
    listener.local_addr().expect("local address").port()
}

fn shutdown_request(port: u16) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    // The reply comes once the browsers are gone; its content does not matter.
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    Ok(())
}
