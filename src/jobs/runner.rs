//! The runner: claims a job, keeps its lock fresh while it runs, and records how it ended.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::queue::{self, Claimed};
use crate::catalog::AppContext;
use crate::enums::JobKind;
use crate::error::AppResult;

/// How a job failed: a message for the record, and whether a later try may succeed.
#[derive(Debug, Clone)]
pub struct JobError {
    /// What went wrong, in both languages.
    pub message: String,
    /// True for transient failures (the remote down, timed out, answering 5xx).
    pub retryable: bool,
}

/// A runner's hold on a job: lost when its lock went stale and another runner took the job
/// over, after which the job must stop writing.
#[derive(Debug, Default)]
pub struct Lease {
    lost: AtomicBool,
}

impl Lease {
    /// True once another runner holds the job.
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }
}

/// This process's name in `jobs.locked_by`: host, process id and a random part (two runners of
/// one process, the server's and a test's, are told apart).
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".to_owned());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &random[..8])
}

/// Claims one job (only job `only`, when given) and runs it to its end, keeping its lock fresh
/// meanwhile. Returns the job's id, or None when nothing was claimable. Blocking.
pub fn run_one(ctx: &AppContext, worker: &str, only: Option<&str>) -> AppResult<Option<String>> {
    let settings = &ctx.harvest.settings;
    let stale = Duration::from_secs(settings.stale_lock_secs.max(1));
    let Some(job) = queue::claim(&ctx.db, worker, stale, only)? else {
        return Ok(None);
    };
    let span = tracing::info_span!("job", job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempts);
    let _entered = span.enter();
    let lease = Lease::default();
    let beat = Duration::from_millis(settings.heartbeat_ms.max(10));
    let outcome = std::thread::scope(|scope| {
        let (stop, stopped) = mpsc::channel::<()>();
        let (held, job_id) = (&lease, job.id.as_str());
        scope.spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(beat) {
                match queue::heartbeat(&ctx.db, job_id, worker) {
                    Ok(true) => {}
                    Ok(false) => {
                        held.lost.store(true, Ordering::Relaxed);
                        return;
                    }
                    // A database hiccup: the next beat tries again; the lock lasts
                    // stale_lock_secs, many beats.
                    Err(error) => tracing::warn!(error = %error, "a job's heartbeat failed"),
                }
            }
        });
        let outcome = dispatch(ctx, &job, &lease);
        drop(stop);
        outcome
    });
    if lease.is_lost() {
        tracing::warn!("the job's lock went stale and another runner took it over");
        return Ok(Some(job.id));
    }
    match outcome {
        Ok(()) => {
            queue::finish(&ctx.db, &job.id, worker)?;
            tracing::info!("job done");
        }
        Err(error) => {
            let backoff = Duration::from_secs(settings.job_backoff_secs);
            let given_up = queue::fail(
                &ctx.db,
                &job,
                worker,
                &error.message,
                error.retryable,
                backoff,
            )?;
            tracing::warn!(error = %error.message, given_up, "job failed");
            if given_up {
                given_up_hook(ctx, &job, &error.message);
            }
        }
    }
    Ok(Some(job.id))
}

/// Runs a job by its kind.
fn dispatch(ctx: &AppContext, job: &Claimed, lease: &Lease) -> Result<(), JobError> {
    match job.kind {
        JobKind::HarvestRun => crate::harvest::run::run_job(ctx, &job.payload, lease),
    }
}

/// Tells what a job runs that it was given up.
fn given_up_hook(ctx: &AppContext, job: &Claimed, message: &str) {
    let recorded = match job.kind {
        JobKind::HarvestRun => crate::harvest::run::given_up(ctx, &job.payload, message),
    };
    if let Err(error) = recorded {
        tracing::error!(error = %error, "recording a job given up");
    }
}

/// The server's runner: runs jobs one after another, looking for new ones every
/// `runner_poll_ms` when idle, or at once when `harvest_job_create` wakes it. Stops with the
/// server's runtime.
pub async fn run_in_background(ctx: AppContext) {
    let worker = worker_name();
    let poll = Duration::from_millis(ctx.harvest.settings.runner_poll_ms.max(10));
    loop {
        let step = ctx.clone();
        let name = worker.clone();
        match tokio::task::spawn_blocking(move || run_one(&step, &name, None)).await {
            Ok(Ok(Some(_))) => continue,
            Ok(Ok(None)) => {}
            Ok(Err(error)) => tracing::warn!(error = %error, "the job runner failed a step"),
            Err(error) => tracing::error!(error = %error, "the job runner stopped a step"),
        }
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            () = ctx.harvest.wake.notified() => {}
        }
    }
}
