//! The request-size and request-time limits of the `[server]` settings.

use std::time::Duration;

use crate::config::ServerSettings;

/// Request-size and request-time limits the HTTP layer enforces.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// Largest JSON or form body.
    pub body_limit_bytes: usize,
    /// Longest wait for the next bytes of any body.
    pub body_idle: Duration,
    /// Longest time for a whole JSON or form body; `None`: no limit.
    pub body_deadline: Option<Duration>,
    /// Time before an upload's average rate is checked.
    pub upload_grace: Duration,
    /// Slowest average rate of an upload after the grace; 0: no limit.
    pub upload_min_bytes_per_sec: u64,
}

impl HttpLimits {
    /// The limits of the `[server]` settings.
    pub fn from_settings(server: &ServerSettings) -> anyhow::Result<HttpLimits> {
        anyhow::ensure!(
            server.body_idle_timeout_secs > 0,
            "server.body_idle_timeout_secs must be above 0: a body may not stall forever"
        );
        Ok(HttpLimits {
            body_limit_bytes: server.body_limit_bytes,
            body_idle: Duration::from_secs(server.body_idle_timeout_secs),
            body_deadline: (server.body_timeout_secs > 0)
                .then(|| Duration::from_secs(server.body_timeout_secs)),
            upload_grace: Duration::from_secs(server.upload_grace_secs),
            upload_min_bytes_per_sec: server.upload_min_bytes_per_sec,
        })
    }
}
