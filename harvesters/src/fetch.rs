//! One hardened HTTP exchange with a remote portal: every call of every client goes through
//! [`Fetcher`], so no client forgets a limit. A hostile or broken portal can answer slowly, send
//! an endless body, claim a wrong content type, or page for ever; each of these ends in a typed
//! [`FetchError`] that says whether trying again later may help.

use std::io::Read;
use std::time::Duration;

use serde_json::Value;

/// Limits of every exchange with one remote portal.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest wait to open a connection.
    pub connect_timeout: Duration,
    /// Longest time for one whole exchange (request sent, reply read).
    pub timeout: Duration,
    /// Largest reply body read, in bytes; a larger one is refused, not truncated.
    pub max_body_bytes: u64,
    /// Most pages a listing follows before it is called endless.
    pub max_pages: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_body_bytes: 16 * 1024 * 1024,
            max_pages: 1000,
        }
    }
}

/// Why an exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The portal did not answer in time.
    #[error("hết thời gian chờ / timed out: {0}")]
    Timeout(String),
    /// No connection could be made (refused, unreachable, DNS).
    #[error("không kết nối được / cannot connect: {0}")]
    Connect(String),
    /// The portal answered with an HTTP error status.
    #[error("máy chủ trả lỗi HTTP {status} / the server answered HTTP {status}: {detail}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// What the reply said, shortened.
        detail: String,
    },
    /// The reply body was larger than allowed.
    #[error("trả lời lớn quá {limit} byte / reply larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The reply was not of the content type expected.
    #[error("kiểu nội dung sai \"{found}\", cần {expected} / wrong content type \"{found}\", expected {expected}")]
    ContentType {
        /// What the reply declared.
        found: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The reply could not be read as what was expected.
    #[error("trả lời không đọc được / unreadable reply: {0}")]
    Invalid(String),
    /// A listing went on past the page limit.
    #[error("quá {0} trang, dừng lại / more than {0} pages: stopped")]
    TooManyPages(u32),
    /// The remote portal refused the call itself (validation, authorisation...).
    #[error("cổng đích từ chối ({kind}) / the remote portal refused ({kind}): {message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// CKAN's `__type`, or the status text.
        kind: String,
        /// What the portal said.
        message: String,
    },
    /// The request could not even be built (a bad URL in the configuration).
    #[error("yêu cầu sai / bad request: {0}")]
    Request(String),
}

impl FetchError {
    /// True when the same call may succeed later: timeouts, refused connections, 5xx and
    /// 429. A refusal, a bad body or a limit hit will fail the same way again.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Timeout(_) | FetchError::Connect(_) => true,
            FetchError::Status { status, .. } | FetchError::Refused { status, .. } => {
                *status >= 500 || *status == 429
            }
            _ => false,
        }
    }

    /// The HTTP status of the reply, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } | FetchError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A reply read within the limits.
#[derive(Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The declared content type, lowercased, without parameters.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON, if the reply declared JSON and is readable as such.
    pub fn json(&self) -> Result<Value, FetchError> {
        if !is_json_type(&self.content_type) {
            return Err(FetchError::ContentType {
                found: self.content_type.clone(),
                expected: "application/json",
            });
        }
        serde_json::from_slice(&self.body).map_err(|e| FetchError::Invalid(e.to_string()))
    }
}

/// JSON, or a JSON-based type (`application/ld+json`, `application/problem+json`).
fn is_json_type(content_type: &str) -> bool {
    content_type == "application/json"
        || (content_type.starts_with("application/") && content_type.ends_with("+json"))
}

/// The HTTP client of one remote portal, with its limits.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::blocking::Client,
    limits: Limits,
}

impl Fetcher {
    /// A client with these limits. Redirects are followed at most 5 times.
    pub fn new(limits: Limits) -> Result<Fetcher, FetchError> {
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("dataportal-harvester/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FetchError::Request(e.to_string()))?;
        Ok(Fetcher { client, limits })
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sends a request built on this client and reads its reply within the limits. Any
    /// status is returned: the caller decides what an error status means.
    pub fn send(
        &self,
        build: impl FnOnce(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder,
    ) -> Result<Reply, FetchError> {
        let response = build(&self.client).send().map_err(classify)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let limit = self.limits.max_body_bytes;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        // Read one byte past the limit: a body that fills it is refused, never truncated into
        // something that happens to parse.
        let mut body = Vec::new();
        response
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| classify_io(&e))?;
        if body.len() as u64 > limit {
            return Err(FetchError::TooLarge { limit });
        }
        Ok(Reply {
            status,
            content_type,
            body,
        })
    }
}

/// A reqwest error as a fetch error.
fn classify(error: reqwest::Error) -> FetchError {
    let text = error.to_string();
    if error.is_timeout() {
        FetchError::Timeout(text)
    } else if error.is_connect() {
        FetchError::Connect(text)
    } else if error.is_builder() {
        FetchError::Request(text)
    } else if error.is_body() || error.is_decode() || error.is_request() {
        // A connection dropped mid-exchange: as transient as a refused one.
        FetchError::Connect(text)
    } else {
        FetchError::Invalid(text)
    }
}

/// An error while reading a body (the blocking reader reports reqwest's errors as I/O).
fn classify_io(error: &std::io::Error) -> FetchError {
    let text = error.to_string();
    let timed_out = error.kind() == std::io::ErrorKind::TimedOut
        || text.contains("timed out")
        || text.contains("timeout");
    if timed_out {
        FetchError::Timeout(text)
    } else {
        FetchError::Connect(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_failures_are_retryable_and_refusals_are_not() {
        assert!(FetchError::Timeout("t".into()).is_retryable());
        assert!(FetchError::Connect("c".into()).is_retryable());
        let status = |status| FetchError::Status {
            status,
            detail: String::new(),
        };
        assert!(status(503).is_retryable());
        assert!(status(429).is_retryable());
        assert!(!status(404).is_retryable());
        assert!(!FetchError::TooLarge { limit: 1 }.is_retryable());
        assert!(!FetchError::TooManyPages(3).is_retryable());
        assert!(!FetchError::Invalid("x".into()).is_retryable());
    }

    #[test]
    fn json_types_are_recognised() {
        assert!(is_json_type("application/json"));
        assert!(is_json_type("application/ld+json"));
        assert!(!is_json_type("text/html"));
        assert!(!is_json_type("application/octet-stream"));
    }
}
