//! Keeping the search index in step with the database, the source of truth: after each write
//! the changed datasets are indexed again before the action returns (read-your-writes), and
//! an index that is missing, damaged or behind is rebuilt from the database.

pub mod follow;
pub mod lifecycle;

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use diesel::prelude::*;
use serde_json::Value;

use super::datasets::dicts_for;
use super::{changes, AppContext};
use crate::db::models::DatasetRow;
use crate::db::schema::datasets;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::search::engine::SearchIndex;

/// The site URL of the dicts stored in the index: none, so upload links are paths
/// (`/dataset/…/download/…`) and the index stays valid wherever the portal is reached.
const STORED_SITE_URL: &str = "";

/// Datasets read and indexed per step of a rebuild.
const REBUILD_BATCH: i64 = 2000;

/// Indexes the current dicts of these datasets, read from the database; ids no longer in
/// the database leave the index. The commit records `seq` as the journal position held.
fn apply_from_database(
    ctx: &AppContext,
    index: &SearchIndex,
    ids: &[String],
    seq: i64,
) -> AppResult<()> {
    apply_changed(ctx, index, ids, Vec::new(), seq)
}

/// As [`apply_from_database`], with the dicts a bulk write just built (stored form, no site
/// URL) taken as they are instead of read back: an import indexes its batches without
/// reading 2,000 datasets back per batch.
fn apply_changed(
    ctx: &AppContext,
    index: &SearchIndex,
    ids: &[String],
    built: Vec<Value>,
    seq: i64,
) -> AppResult<()> {
    let mut dicts: Vec<Value> = built
        .into_iter()
        .filter(|d| {
            d.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| ids.binary_search_by(|x| x.as_str().cmp(id)).is_ok())
        })
        .collect();
    let have: std::collections::HashSet<String> = dicts
        .iter()
        .filter_map(|d| d.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !have.contains(*id))
        .cloned()
        .collect();
    let read = ctx.db.read(|conn| {
        let mut dicts = Vec::with_capacity(missing.len());
        for chunk in missing.chunks(REBUILD_BATCH as usize) {
            let rows: Vec<DatasetRow> = datasets::table
                .filter(datasets::id.eq_any(chunk))
                .select(DatasetRow::as_select())
                .load(conn)?;
            dicts.extend(dicts_for(conn, &rows, STORED_SITE_URL)?);
        }
        Ok(dicts)
    })?;
    dicts.extend(read);
    let found: std::collections::HashSet<&str> = dicts
        .iter()
        .filter_map(|d| d.get("id").and_then(Value::as_str))
        .collect();
    let removed: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id.as_str()))
        .cloned()
        .collect();
    index
        .apply(&dicts, &removed, seq)
        .map_err(|e| AppError::Internal(e.context("indexing changed datasets")))?;
    prune_now_and_then(ctx, index);
    Ok(())
}

/// Writes between two prunings of the change log by a running server.
const PRUNE_EVERY: u64 = 4096;

/// Writes seen by this process, to prune the change log now and then.
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Forgets, every [`PRUNE_EVERY`] writes, the changes the index has committed (less the
/// re-applied tail), so a server that runs for months keeps a short log. A failure only
/// postpones it.
fn prune_now_and_then(ctx: &AppContext, index: &SearchIndex) {
    if WRITES.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY != PRUNE_EVERY - 1 {
        return;
    }
    if let Ok(Some(Some(applied))) = index.committed_state() {
        if let Err(error) = ctx
            .db
            .write(|conn| changes::prune(conn, applied - REAPPLIED_TAIL))
        {
            tracing::warn!(error = %error, "pruning the change log");
        }
    }
}

/// Changes re-applied at every start below the position the index recorded: on PostgreSQL
/// a change may commit after a later-numbered one was indexed, so a crash can lose it from
/// the index while the recorded position is past it. Writers in flight are bounded by the
/// connection pool, far below this.
const REAPPLIED_TAIL: i64 = 256;

/// Past this many changed datasets a full rebuild is cheaper than indexing them one by one.
const CATCH_UP_LIMIT: usize = 20_000;

/// What the start-up check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchUp {
    /// The index had everything but the re-applied tail.
    InStep,
    /// This many datasets changed since the index's last commit were indexed.
    CaughtUp(usize),
    /// The index must be rebuilt from scratch.
    NeedsRebuild,
}

/// Brings the index up to the database's change log: re-indexes the datasets changed since
/// the position the index's last commit recorded (after a crash, or writes by the CLI, which
/// has no index open). An index without a position (new, damaged, built for another format
/// or site, or interrupted mid-rebuild), one ahead of the database (a database restored from
/// a backup) or whose count then differs from the database's needs a rebuild.
pub fn catch_up(ctx: &AppContext) -> anyhow::Result<CatchUp> {
    let Some(index) = &ctx.search else {
        return Ok(CatchUp::InStep);
    };
    let Some(Some(applied)) = index.committed_state()? else {
        return Ok(CatchUp::NeedsRebuild);
    };
    let (latest, pending) = ctx.db.read(|conn| {
        let latest = changes::latest(conn)?;
        Ok((latest, changes::count_since(conn, applied)?))
    })?;
    if latest < applied || pending > CATCH_UP_LIMIT as i64 {
        return Ok(CatchUp::NeedsRebuild);
    }
    let ids = ctx
        .db
        .read(|conn| changes::changed_since(conn, applied - REAPPLIED_TAIL))?;
    apply_from_database(ctx, index, &ids, latest)?;
    index.refresh()?;
    if index.doc_count() != dataset_count(ctx)? as u64 {
        return Ok(CatchUp::NeedsRebuild);
    }
    ctx.db
        .write(|conn| changes::prune(conn, applied - REAPPLIED_TAIL))?;
    Ok(if pending == 0 {
        CatchUp::InStep
    } else {
        CatchUp::CaughtUp(ids.len())
    })
}

/// How long a client is told to wait while the index is rebuilt (a rebuild of 100,000
/// datasets takes about 25 s here).
const REBUILD_RETRY_AFTER_SECS: u64 = 10;

/// The search index, ready to answer for `what` (a short description for the logs). While it
/// is rebuilt from scratch it holds only part of the catalogue: searches get a 503 with
/// `Retry-After` instead of partial results presented as the whole truth.
pub fn ready_index<'a>(ctx: &'a AppContext, what: &str) -> AppResult<&'a SearchIndex> {
    let index = ctx
        .search
        .as_ref()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("{what} without a search index")))?;
    if index.is_rebuilding() {
        return Err(
            AppError::new(ErrorCode::SearchIndexRebuilding).retry_after(REBUILD_RETRY_AFTER_SECS)
        );
    }
    Ok(index)
}

/// Brings the index up to the change log in a background thread (at most one at a time),
/// rebuilding it when catching up is not enough.
pub fn repair_in_background(ctx: &AppContext) {
    let Some(index) = &ctx.search else {
        return;
    };
    if !index.begin_repair() {
        return;
    }
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let outcome = match catch_up(&ctx) {
            Ok(CatchUp::NeedsRebuild) => rebuild(&ctx, &|_, _| {}).map(|_| ()),
            other => other.map(|_| ()),
        };
        if let Err(error) = outcome {
            tracing::error!(
                error = format!("{error:#}"),
                "repairing the search index failed"
            );
        }
        if let Some(index) = &ctx.search {
            index.end_repair();
        }
    });
}

/// Datasets in the database, in any state (the index holds them all).
pub fn dataset_count(ctx: &AppContext) -> AppResult<i64> {
    ctx.db
        .read(|conn| Ok(datasets::table.count().get_result(conn)?))
}

/// Threads reading the database and building dicts during a rebuild, beside the index
/// writer's own threads: the database side costs as much as the indexing.
const REBUILD_READERS: usize = 2;

/// Indexes every dataset again from the database, committing once at the end;
/// `progress` is told after each batch.
pub fn rebuild(ctx: &AppContext, progress: &dyn Fn(u64, u64)) -> anyhow::Result<u64> {
    let Some(index) = &ctx.search else {
        return Ok(0);
    };
    // The position first: changes logged after it reach the index through `apply`.
    let (seq, ids): (i64, Vec<String>) = ctx.db.read(|conn| {
        let seq = changes::latest(conn)?;
        let ids = datasets::table
            .order(datasets::id.asc())
            .select(datasets::id)
            .load(conn)?;
        Ok((seq, ids))
    })?;
    let total = ids.len() as u64;
    // Batches as id ranges, read by whichever reader is free; the writer takes them in any
    // order (the index does not care) and commits once at the end.
    let ranges: Vec<(&str, &str)> = ids
        .chunks(REBUILD_BATCH as usize)
        .filter_map(|chunk| Some((chunk.first()?.as_str(), chunk.last()?.as_str())))
        .collect();
    index.begin_rebuild()?;
    let next = AtomicUsize::new(0);
    let done = std::thread::scope(|scope| -> anyhow::Result<u64> {
        // One batch waiting beside the one being indexed and those being read: the server
        // rebuilding 104,000 datasets peaked at 372-385 MiB so (VmHWM), 419-432 MiB with four
        // waiting, in the same time; either way it was back under 110 MiB once idle.
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        for _ in 0..REBUILD_READERS {
            let sender = sender.clone();
            let (ranges, next) = (&ranges, &next);
            scope.spawn(move || {
                while let Some((first, last)) = ranges.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let documents = read_range(ctx, first, last).map(|dicts| {
                        dicts
                            .iter()
                            .map(|d| {
                                let id = d.get("id").and_then(Value::as_str).unwrap_or_default();
                                (id.to_owned(), index.document(d))
                            })
                            .collect::<Vec<_>>()
                    });
                    let failed = documents.is_err();
                    if sender.send(documents).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut done = 0u64;
        for documents in receiver {
            let documents = documents.context("reading datasets to index")?;
            done += documents.len() as u64;
            index.add_rebuilt(documents)?;
            progress(done, total);
        }
        Ok(done)
    })?;
    index.finish_rebuild(seq)?;
    ctx.db
        .write(|conn| changes::prune(conn, seq - REAPPLIED_TAIL))?;
    Ok(done)
}

/// Dicts of the datasets with ids from `first` to `last`.
fn read_range(ctx: &AppContext, first: &str, last: &str) -> AppResult<Vec<Value>> {
    ctx.db.read(|conn| {
        let rows: Vec<DatasetRow> = datasets::table
            .filter(datasets::id.ge(first).and(datasets::id.le(last)))
            .order(datasets::id.asc())
            .select(DatasetRow::as_select())
            .load(conn)?;
        dicts_for(conn, &rows, STORED_SITE_URL)
    })
}
