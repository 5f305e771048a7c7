//! Carrying out a harvest run (the `harvest_run` job): a push to a target or a pull from a
//! source, dataset by dataset, each outcome stored as soon as it is known. The store of what
//! each source or target last did with each dataset (`harvest_objects`) is what makes a run
//! idempotent and resumable: a run compares against it, so after a crash the next try skips
//! what was already done, and a second run finds nothing to do.

mod objects;
pub mod pull;
mod pull_page;
pub mod push;
pub mod remote;

use std::time::Duration;

use dataportal_harvesters::FetchError;
use serde_json::Value;

use crate::catalog::harvesting::{runs, sources, targets, Owner};
use crate::catalog::AppContext;
use crate::enums::HarvestJobStatus;
use crate::error::AppError;
use crate::jobs::{JobError, Lease};

/// A remote failure as a job failure: retryable when the remote may come back.
pub(crate) fn failure(error: FetchError) -> JobError {
    JobError {
        retryable: error.is_retryable(),
        message: error.to_string(),
    }
}

/// A failure of ours (the database) as a job failure: tried again later.
pub(crate) fn internal(error: AppError) -> JobError {
    tracing::error!(error = ?error, "a harvest run failed on our side");
    JobError {
        retryable: true,
        message: format!("lỗi nội bộ / internal error: {error}"),
    }
}

/// The run stops because another runner took it over.
fn lost() -> JobError {
    JobError {
        retryable: true,
        message: "lượt chạy đã được tiến trình khác tiếp quản / taken over by another runner"
            .to_owned(),
    }
}

/// The harvest job a `harvest_run` payload names.
fn job_id(payload: &Value) -> Result<&str, JobError> {
    payload
        .get("harvest_job_id")
        .and_then(Value::as_str)
        .ok_or_else(|| JobError {
            retryable: false,
            message: "a harvest_run job without harvest_job_id".to_owned(),
        })
}

/// Runs the harvest job of a `harvest_run` job. A job whose source or target was deleted, or
/// that already ended, has nothing left to do.
pub fn run_job(ctx: &AppContext, payload: &Value, lease: &Lease) -> Result<(), JobError> {
    let id = job_id(payload)?;
    let Some(job) = ctx.db.read(|conn| runs::find(conn, id)).map_err(internal)? else {
        return Ok(());
    };
    if matches!(
        job.status(),
        HarvestJobStatus::Finished | HarvestJobStatus::Failed
    ) {
        return Ok(());
    }
    ctx.db
        .write(|conn| runs::mark_running(conn, id))
        .map_err(internal)?;
    let unchanged = match job.owner() {
        Some(Owner::Source(source_id)) => {
            let Some(source) = ctx
                .db
                .read(|conn| sources::find(conn, &source_id))
                .map_err(internal)?
            else {
                return Ok(());
            };
            pull::run(ctx, id, &source, lease)?
        }
        Some(Owner::Target(target_id)) => {
            let Some(target) = ctx
                .db
                .read(|conn| targets::find(conn, &target_id))
                .map_err(internal)?
            else {
                return Ok(());
            };
            push::run(ctx, id, &target, lease)?
        }
        None => return Ok(()),
    };
    ctx.db
        .write(|conn| runs::mark_ended(conn, id, None, Some(unchanged)))
        .map_err(internal)?;
    Ok(())
}

/// Marks the harvest job of a job given up as Failed, with why.
pub fn given_up(ctx: &AppContext, payload: &Value, message: &str) -> anyhow::Result<()> {
    let id = job_id(payload).map_err(|e| anyhow::anyhow!(e.message))?;
    ctx.db
        .write(|conn| runs::mark_ended(conn, id, Some(message), None))?;
    Ok(())
}

/// Calls `call` until it succeeds, fails for good, or has failed transiently `attempts`
/// times, waiting `base`, then twice as long each time, in between. Gives up early when the
/// lease is lost.
pub(crate) fn with_retries<T>(
    attempts: u32,
    base: Duration,
    lease: &Lease,
    mut call: impl FnMut() -> Result<T, FetchError>,
) -> Result<T, FetchError> {
    let mut wait = base;
    let mut tries = 1;
    loop {
        match call() {
            Err(error) if error.is_retryable() && tries < attempts && !lease.is_lost() => {
                tracing::info!(error = %error, tries, "a transient failure; trying again");
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(60));
                tries += 1;
            }
            other => return other,
        }
    }
}
