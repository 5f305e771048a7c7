//! Keeping the search index in step with the database, the source of truth: after each write
//! the changed datasets are indexed again before the action returns (read-your-writes), and
//! an index that is missing, damaged or behind is rebuilt from the database.

mod follow;
pub mod lifecycle;

pub use follow::follow_change_log;

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use diesel::prelude::*;
use serde_json::Value;

use super::datasets::dicts_for;
use super::datasets::resources as resource_dicts;
use super::{changes, AppContext, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{datasets, resources};
use crate::error::{AppError, AppResult};
use crate::search::engine::SearchIndex;

/// The site URL of the dicts stored in the index: none, so upload links are paths
/// (`/dataset/…/download/…`) and the index stays valid wherever the portal is reached.
const STORED_SITE_URL: &str = "";

/// Datasets read and indexed per step of a rebuild.
const REBUILD_BATCH: i64 = 2000;

/// Ids of the datasets whose dicts a successful write action changed.
fn affected(ctx: &AppContext, action: &str, dict: &Dict, result: &Value) -> AppResult<Vec<String>> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(match action {
        "package_delete" => {
            let id = text(&Value::Object(dict.clone()), "id").unwrap_or_default();
            ctx.db.read(|conn| {
                Ok(datasets::table
                    .filter(datasets::id.eq(&id).or(datasets::name.eq(&id)))
                    .select(datasets::id)
                    .load(conn)?)
            })?
        }
        "resource_create" | "resource_update" | "resource_patch" => {
            text(result, "package_id").into_iter().collect()
        }
        "resource_delete" => {
            let id = text(&Value::Object(dict.clone()), "id").unwrap_or_default();
            ctx.db.read(|conn| {
                Ok(resources::table
                    .filter(resources::id.eq(&id))
                    .select(resources::dataset_id)
                    .load(conn)?)
            })?
        }
        // Organisation titles are part of every dataset dict of the organisation.
        "organization_update" | "organization_patch" => {
            let org = text(result, "id").unwrap_or_default();
            ctx.db.read(|conn| {
                Ok(datasets::table
                    .filter(datasets::owner_org.eq(&org))
                    .select(datasets::id)
                    .load(conn)?)
            })?
        }
        _ => Vec::new(),
    })
}

/// Indexes what a successful write action changed (no-op without an index, as in the CLI).
pub fn after_write(ctx: &AppContext, action: &str, dict: &Dict, result: &Value) -> AppResult<()> {
    let Some(index) = &ctx.search else {
        return Ok(());
    };
    prune_now_and_then(ctx, index);
    // These actions return the whole dataset dict just written: index it as it is.
    if matches!(
        action,
        "package_create" | "package_update" | "package_patch"
    ) {
        let mut stored = result.clone();
        resource_dicts::rebase_upload_links(&mut stored, &ctx.site_url, "");
        let seq = ctx.db.read(changes::latest)?;
        return index
            .apply(&[stored], &[], seq)
            .map_err(|e| AppError::Internal(e.context("indexing a changed dataset")));
    }
    let ids = affected(ctx, action, dict, result)?;
    if ids.is_empty() {
        return Ok(());
    }
    apply_from_database(ctx, index, &ids)
}

/// Indexes datasets a bulk write (an import) just stored, from the dicts it built with no site
/// URL, as the index stores them; other datasets the change log lists since the index's
/// position (written meanwhile by another process) are read from the database. So the
/// command line keeps the index it holds in step without reading its datasets back, and the
/// server then starts with nothing to rebuild.
pub fn after_bulk_write(ctx: &AppContext, dicts: Vec<Value>) -> AppResult<()> {
    let Some(index) = &ctx.search else {
        return Ok(());
    };
    let written: std::collections::HashSet<&str> = dicts
        .iter()
        .filter_map(|d| d.get("id").and_then(Value::as_str))
        .collect();
    let (seq, changed) = ctx.db.read(|conn| {
        let seq = changes::latest(conn)?;
        Ok((seq, changes::changed_since(conn, index.applied_position())?))
    })?;
    let others: Vec<String> = changed
        .into_iter()
        .filter(|id| !written.contains(id.as_str()))
        .collect();
    if !others.is_empty() {
        apply_from_database(ctx, index, &others)?;
    }
    index
        .apply(&dicts, &[], seq)
        .map_err(|e| AppError::Internal(e.context("indexing stored datasets")))
}

/// Indexes the current dicts of these datasets, read from the database.
fn apply_from_database(ctx: &AppContext, index: &SearchIndex, ids: &[String]) -> AppResult<()> {
    let (dicts, seq) = ctx.db.read(|conn| {
        // The position first: a change logged after it is indexed by its own writer.
        let seq = changes::latest(conn)?;
        let mut dicts = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(REBUILD_BATCH as usize) {
            let rows: Vec<DatasetRow> = datasets::table
                .filter(datasets::id.eq_any(chunk))
                .select(DatasetRow::as_select())
                .load(conn)?;
            dicts.extend(dicts_for(conn, &rows, STORED_SITE_URL)?);
        }
        Ok((dicts, seq))
    })?;
    index
        .apply(&dicts, &[], seq)
        .map_err(|e| AppError::Internal(e.context("indexing changed datasets")))
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
    apply_from_database(ctx, index, &ids)?;
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
        return Err(AppError::Unavailable {
            code: "search_index_rebuilding",
            retry_after_secs: REBUILD_RETRY_AFTER_SECS,
            message: "Chỉ mục tìm kiếm đang được xây dựng lại, vui lòng thử lại sau ít giây / \
                      The search index is being rebuilt, please retry in a few seconds"
                .to_owned(),
        });
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
