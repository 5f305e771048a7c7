//! The `jobs` table as a queue: enqueue, claim, heartbeat, finish, fail with backoff.
//!
//! Claiming is the one delicate step: two runners (two servers on one PostgreSQL, or the
//! server and the CLI on one SQLite file) must never take the same job. PostgreSQL locks the
//! chosen row with `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass over it instead of
//! queueing behind it; SQLite takes the write lock first (`BEGIN IMMEDIATE`), so the read that
//! chooses the job and the write that takes it cannot interleave with another process's.
//! Every later write of a job checks `locked_by`, so a runner that lost its job (its lock went
//! stale while it hung) cannot overwrite the one that resumed it.

use std::time::Duration;

use diesel::prelude::*;

use crate::db::schema::jobs;
use crate::db::{now_text, Db, DbConnection};
use crate::enums::{JobKind, JobStatus};
use crate::error::{AppError, AppResult};

/// A job taken by a runner.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Its id.
    pub id: String,
    /// What it does.
    pub kind: JobKind,
    /// Its JSON payload.
    pub payload: serde_json::Value,
    /// Tries so far, this one included.
    pub attempts: i32,
    /// Tries allowed.
    pub max_attempts: i32,
}

/// Adds job `id`, runnable at once, in the caller's transaction (so a job and the record it
/// runs are stored together or not at all; the record may lend the job its id).
pub fn enqueue(
    conn: &mut DbConnection,
    id: &str,
    kind: JobKind,
    payload: &serde_json::Value,
    max_attempts: i32,
) -> AppResult<()> {
    let now = now_text();
    diesel::insert_into(jobs::table)
        .values((
            jobs::id.eq(id),
            jobs::kind.eq(kind.as_str()),
            jobs::payload.eq(payload.to_string()),
            jobs::status.eq(JobStatus::Queued.as_str()),
            jobs::attempts.eq(0),
            jobs::max_attempts.eq(max_attempts.max(1)),
            jobs::run_after.eq(&now),
            jobs::created.eq(&now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Time `ago` before now, as stored text.
fn before_now(ago: Duration) -> String {
    let ago = chrono::Duration::from_std(ago).unwrap_or(chrono::Duration::zero());
    (chrono::Utc::now() - ago)
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string()
}

/// The jobs a runner may take now: queued ones whose time has come, and running ones whose
/// runner stopped telling it is alive before `stale` (a dead process's).
macro_rules! claimable {
    ($now:expr, $stale:expr, $only:expr) => {{
        jobs::table
            .filter(
                jobs::status
                    .eq(JobStatus::Queued.as_str())
                    .and(jobs::run_after.le($now))
                    .or(jobs::status
                        .eq(JobStatus::Running.as_str())
                        .and(jobs::locked_at.lt($stale))),
            )
            // Ids are UUIDs, without LIKE's wildcards: `%` matches every job.
            .filter(jobs::id.like($only.unwrap_or("%")))
            .order((jobs::run_after.asc(), jobs::id.asc()))
            .select(jobs::id)
    }};
}

/// Marks the chosen job as taken by `worker`; one more attempt.
macro_rules! take {
    ($conn:expr, $id:expr, $worker:expr, $now:expr) => {
        diesel::update(jobs::table.find($id))
            .set((
                jobs::status.eq(JobStatus::Running.as_str()),
                jobs::locked_by.eq($worker),
                jobs::locked_at.eq($now),
                jobs::attempts.eq(jobs::attempts + 1),
            ))
            .execute($conn)
    };
}

/// Takes the next claimable job for `worker` (only the job `only`, when given); None when
/// there is nothing to do. A lock older than `stale_after` is taken over.
pub fn claim(
    db: &Db,
    worker: &str,
    stale_after: Duration,
    only: Option<&str>,
) -> AppResult<Option<Claimed>> {
    let now = now_text();
    let stale = before_now(stale_after);
    let chosen: Option<String> = db.with_write_gate(|conn| {
        let chosen = match conn {
            DbConnection::Postgresql(c) => c.transaction(|c| {
                let id = claimable!(&now, &stale, only)
                    .limit(1)
                    .for_update()
                    .skip_locked()
                    .first::<String>(c)
                    .optional()?;
                if let Some(id) = &id {
                    take!(c, id, worker, &now)?;
                }
                Ok::<_, diesel::result::Error>(id)
            }),
            DbConnection::Sqlite(c) => c.immediate_transaction(|c| {
                let id = claimable!(&now, &stale, only)
                    .limit(1)
                    .first::<String>(c)
                    .optional()?;
                if let Some(id) = &id {
                    take!(c, id, worker, &now)?;
                }
                Ok::<_, diesel::result::Error>(id)
            }),
        };
        Ok(chosen?)
    })?;
    let Some(id) = chosen else {
        return Ok(None);
    };
    let (kind, payload, attempts, max_attempts): (String, String, i32, i32) = db.read(|conn| {
        Ok(jobs::table
            .find(&id)
            .select((
                jobs::kind,
                jobs::payload,
                jobs::attempts,
                jobs::max_attempts,
            ))
            .first(conn)?)
    })?;
    let kind = kind
        .parse::<JobKind>()
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("a stored job")))?;
    let payload = serde_json::from_str(&payload)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("a job's payload")))?;
    Ok(Some(Claimed {
        id,
        kind,
        payload,
        attempts,
        max_attempts,
    }))
}

/// Tells that `worker` still runs job `id`; false when the job is no longer its own (its lock
/// went stale and another runner resumed it).
pub fn heartbeat(db: &Db, id: &str, worker: &str) -> AppResult<bool> {
    let now = now_text();
    let touched = db.write(|conn| {
        Ok(diesel::update(
            jobs::table
                .find(id)
                .filter(jobs::locked_by.eq(worker))
                .filter(jobs::status.eq(JobStatus::Running.as_str())),
        )
        .set(jobs::locked_at.eq(&now))
        .execute(conn)?)
    })?;
    Ok(touched == 1)
}

/// Marks job `id` done.
pub fn finish(db: &Db, id: &str, worker: &str) -> AppResult<()> {
    let now = now_text();
    db.write(|conn| {
        diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
            .set((
                jobs::status.eq(JobStatus::Done.as_str()),
                jobs::finished.eq(Some(&now)),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_at.eq(None::<String>),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Records a failed try of job `id`: queued again after `backoff` (doubled with each try) when
/// `retry` says so and tries are left; otherwise failed for good. Returns true when it was
/// given up.
pub fn fail(
    db: &Db,
    job: &Claimed,
    worker: &str,
    error: &str,
    retry: bool,
    backoff: Duration,
) -> AppResult<bool> {
    let give_up = !retry || job.attempts >= job.max_attempts;
    let now = now_text();
    let exponent = u32::try_from(job.attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    // A day at most between tries: the run still happens the day the target is back.
    let wait = (backoff * 2u32.pow(exponent)).min(Duration::from_secs(24 * 3600));
    let run_after = (chrono::Utc::now()
        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::zero()))
    .format("%Y-%m-%dT%H:%M:%S%.6f")
    .to_string();
    let status = if give_up {
        JobStatus::Failed
    } else {
        JobStatus::Queued
    };
    db.write(|conn| {
        diesel::update(jobs::table.find(&job.id).filter(jobs::locked_by.eq(worker)))
            .set((
                jobs::status.eq(status.as_str()),
                jobs::last_error.eq(Some(error)),
                jobs::run_after.eq(&run_after),
                jobs::finished.eq(give_up.then_some(&now)),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_at.eq(None::<String>),
            ))
            .execute(conn)?;
        Ok(())
    })?;
    Ok(give_up)
}

/// When job `id` will be tried again, and its last error, for the views of what it runs.
pub fn retry_state(
    conn: &mut DbConnection,
    id: &str,
) -> AppResult<Option<(String, i32, Option<String>)>> {
    Ok(jobs::table
        .find(id)
        .filter(jobs::status.eq(JobStatus::Queued.as_str()))
        .select((jobs::run_after, jobs::attempts, jobs::last_error))
        .first(conn)
        .optional()?)
}
