//! Time limits on reading a request body. actix-web bounds the request head
//! (`client_request_timeout`) but not the body: a client that declares 1000 bytes and sends 10,
//! or sends one byte a second, held a connection, a worker slot and (for uploads) a temporary
//! file for as long as it liked; the security probe held 500 such connections (issue 7, item
//! 15). The body stream is wrapped once, before JSON, form and multipart reading split, so every
//! path gets the same limits.
//!
//! The clock only blames the client while we are waiting for it: a limit is checked when the
//! reader asks for more and nothing has arrived, never while the reader is busy (writing a chunk
//! to a slow disk does not count against the sender).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_util::Stream;
use tokio::time::{Instant, Sleep};

use super::HttpLimits;
use crate::error::{AppError, Cutoff, ErrorCode};

/// How long a body may take to arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyPolicy {
    /// Longest wait for the next bytes.
    pub idle: Duration,
    /// Longest time for the whole body (JSON and form bodies, which are small).
    pub deadline: Option<Duration>,
    /// Slowest average rate once a grace period is over (uploads, which may be large).
    pub min_rate: Option<MinRate>,
}

impl BodyPolicy {
    /// JSON, form and anonymous multipart bodies: small, so they get a deadline.
    pub fn for_body(limits: &HttpLimits) -> BodyPolicy {
        BodyPolicy {
            idle: limits.body_idle,
            deadline: limits.body_deadline,
            min_rate: None,
        }
    }

    /// Uploads: up to gigabytes on any line, so a rate instead of a deadline.
    pub fn for_upload(limits: &HttpLimits) -> BodyPolicy {
        BodyPolicy {
            idle: limits.body_idle,
            deadline: None,
            min_rate: (limits.upload_min_bytes_per_sec > 0).then_some(MinRate {
                grace: limits.upload_grace,
                bytes_per_sec: limits.upload_min_bytes_per_sec,
            }),
        }
    }
}

/// The slowest average rate an upload may keep, measured from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinRate {
    /// Time before the rate is checked (slow starts, TCP ramp-up, a first form field).
    pub grace: Duration,
    /// Bytes per second, averaged over the whole body so far.
    pub bytes_per_sec: u64,
}

/// Why a body was cut off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Nothing arrived for this long.
    Idle(Duration),
    /// The whole body took longer than this.
    Deadline(Duration),
    /// The average rate fell below this many bytes per second.
    TooSlow(u64),
}

impl Expiry {
    /// The error answered to the client (HTTP 408).
    pub fn error(self) -> AppError {
        let timeout = AppError::new(ErrorCode::RequestTimeout);
        match self {
            Expiry::Idle(wait) => timeout
                .arg("reason", Cutoff::Idle)
                .arg("seconds", wait.as_secs()),
            Expiry::Deadline(limit) => timeout
                .arg("reason", Cutoff::Deadline)
                .arg("seconds", limit.as_secs()),
            Expiry::TooSlow(rate) => timeout
                .arg("reason", Cutoff::TooSlow)
                .arg("kib", rate.div_ceil(1024)),
        }
    }
}

/// Tells the reader, after its stream failed, whether the failure was a time limit (the
/// multipart parser and the file store turn stream errors into their own messages).
#[derive(Debug, Clone, Default)]
pub struct ExpiryFlag(Rc<Cell<Option<Expiry>>>);

impl ExpiryFlag {
    /// The limit that cut the body off, if one did.
    pub fn get(&self) -> Option<Expiry> {
        self.0.get()
    }
}

/// A body stream that fails with a timed-out I/O error when its policy is broken.
pub struct TimedBody<S> {
    inner: S,
    policy: BodyPolicy,
    started: Instant,
    received: u64,
    timer: Pin<Box<Sleep>>,
    pending: Expiry,
    flag: ExpiryFlag,
    finished: bool,
}

impl<S> TimedBody<S> {
    /// Starts the clock on `inner`; the flag reports a limit that cut it off.
    pub fn new(inner: S, policy: BodyPolicy) -> (TimedBody<S>, ExpiryFlag) {
        let started = Instant::now();
        let flag = ExpiryFlag::default();
        let (at, pending) = next_limit(&policy, started, started, 0);
        let body = TimedBody {
            inner,
            policy,
            started,
            received: 0,
            timer: Box::pin(tokio::time::sleep_until(at)),
            pending,
            flag: flag.clone(),
            finished: false,
        };
        (body, flag)
    }
}

/// The earliest moment a limit is broken if nothing more arrives after `now`, and which one.
fn next_limit(
    policy: &BodyPolicy,
    started: Instant,
    now: Instant,
    received: u64,
) -> (Instant, Expiry) {
    let mut next = (now + policy.idle, Expiry::Idle(policy.idle));
    if let Some(limit) = policy.deadline {
        if started + limit < next.0 {
            next = (started + limit, Expiry::Deadline(limit));
        }
    }
    if let Some(rate) = policy.min_rate.filter(|r| r.bytes_per_sec > 0) {
        // The average falls below the rate once elapsed time exceeds received / rate.
        let earned = Duration::from_secs_f64(received as f64 / rate.bytes_per_sec as f64);
        let at = started + earned.max(rate.grace);
        if at < next.0 {
            next = (at, Expiry::TooSlow(rate.bytes_per_sec));
        }
    }
    next
}

impl<S> Stream for TimedBody<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.finished {
            return Poll::Ready(None);
        }
        // The client first: bytes already here are delivered even if a limit just passed.
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let (at, pending) =
                    next_limit(&this.policy, this.started, Instant::now(), this.received);
                this.timer.as_mut().reset(at);
                this.pending = pending;
                return Poll::Ready(Some(Ok(chunk)));
            }
            Poll::Ready(other) => {
                this.finished = other.is_none();
                return Poll::Ready(other);
            }
            Poll::Pending => {}
        }
        match this.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.finished = true;
                this.flag.0.set(Some(this.pending));
                Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "request body timed out",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn upload_policy() -> BodyPolicy {
        BodyPolicy {
            idle: 30 * SECOND,
            deadline: None,
            min_rate: Some(MinRate {
                grace: 60 * SECOND,
                bytes_per_sec: 1000,
            }),
        }
    }

    #[test]
    fn the_nearest_limit_wins() {
        let start = Instant::now();
        let body = BodyPolicy {
            idle: 30 * SECOND,
            deadline: Some(60 * SECOND),
            min_rate: None,
        };
        assert_eq!(
            next_limit(&body, start, start, 0),
            (start + 30 * SECOND, Expiry::Idle(30 * SECOND))
        );
        let late = start + 45 * SECOND;
        assert_eq!(
            next_limit(&body, start, late, 10),
            (start + 60 * SECOND, Expiry::Deadline(60 * SECOND))
        );
    }

    #[test]
    fn a_steady_upload_is_never_too_slow_and_a_trickle_is_after_the_grace() {
        let start = Instant::now();
        // 1 MB after 100 s at a 1000 B/s minimum: the average stays above it until 1000 s.
        let now = start + 100 * SECOND;
        assert_eq!(
            next_limit(&upload_policy(), start, now, 1_000_000),
            (now + 30 * SECOND, Expiry::Idle(30 * SECOND))
        );
        // A byte a second, 45 s in: never idle, still in grace, cut off when the grace ends.
        let now = start + 45 * SECOND;
        assert_eq!(
            next_limit(&upload_policy(), start, now, 45),
            (start + 60 * SECOND, Expiry::TooSlow(1000))
        );
    }

    #[test]
    fn messages_name_the_limit_in_each_language() {
        let error = Expiry::TooSlow(16384).error();
        let vi = crate::error::render(&error, crate::error::Lang::Vi).message;
        assert!(
            vi.starts_with("Tải lên quá chậm (dưới 16 KiB/giây)"),
            "{vi}"
        );
        let en = crate::error::render(&error, crate::error::Lang::En).message;
        assert!(en.starts_with("Upload too slow (below 16 KiB/s)"), "{en}");
        let idle = crate::error::render(
            &Expiry::Idle(Duration::from_secs(30)).error(),
            crate::error::Lang::Vi,
        );
        assert_eq!(
            idle.message,
            "Không nhận được dữ liệu nào trong 30 giây, yêu cầu đã bị hủy"
        );
    }
}
