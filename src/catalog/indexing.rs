//! Keeping the search index in step with the database, the source of truth: after each write
//! the changed datasets are indexed again before the action returns (read-your-writes), and
//! an index that is missing, damaged or behind is rebuilt from the database.

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use diesel::prelude::*;
use serde_json::Value;

use super::datasets::dicts_for;
use super::{resources as resource_dicts, Catalog, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{datasets, resources};
use crate::error::{AppError, AppResult};
use crate::search::document::micros;

/// The site URL of the dicts stored in the index: none, so upload links are paths
/// (`/dataset/…/download/…`) and the index stays valid wherever the portal is reached.
const STORED_SITE_URL: &str = "";

/// Datasets read and indexed per step of a rebuild.
const REBUILD_BATCH: i64 = 2000;

/// Ids of the datasets whose dicts a successful write action changed.
fn affected(cat: &Catalog, action: &str, dict: &Dict, result: &Value) -> AppResult<Vec<String>> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(match action {
        "package_delete" => {
            let id = text(&Value::Object(dict.clone()), "id").unwrap_or_default();
            cat.db.read(|conn| {
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
            cat.db.read(|conn| {
                Ok(resources::table
                    .filter(resources::id.eq(&id))
                    .select(resources::dataset_id)
                    .load(conn)?)
            })?
        }
        // Organisation titles are part of every dataset dict of the organisation.
        "organization_update" | "organization_patch" => {
            let org = text(result, "id").unwrap_or_default();
            cat.db.read(|conn| {
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
pub fn after_write(cat: &Catalog, action: &str, dict: &Dict, result: &Value) -> AppResult<()> {
    let Some(index) = &cat.search else {
        return Ok(());
    };
    // These actions return the whole dataset dict just written: index it as it is.
    if matches!(
        action,
        "package_create" | "package_update" | "package_patch"
    ) {
        let mut stored = result.clone();
        resource_dicts::rebase_upload_links(&mut stored, &cat.site_url, "");
        return index
            .apply(&[stored], &[])
            .map_err(|e| AppError::Internal(e.context("indexing a changed dataset")));
    }
    let ids = affected(cat, action, dict, result)?;
    if ids.is_empty() {
        return Ok(());
    }
    let dicts = cat.db.read(|conn| {
        let rows: Vec<DatasetRow> = datasets::table
            .filter(datasets::id.eq_any(&ids))
            .select(DatasetRow::as_select())
            .load(conn)?;
        dicts_for(conn, &rows, STORED_SITE_URL)
    })?;
    index
        .apply(&dicts, &[])
        .map_err(|e| AppError::Internal(e.context("indexing changed datasets")))
}

/// True when the index was built for this site and holds as many datasets as the database
/// with the same newest change.
pub fn in_step(cat: &Catalog) -> anyhow::Result<bool> {
    let Some(index) = &cat.search else {
        return Ok(true);
    };
    if !index.stamp_matches()? {
        return Ok(false);
    }
    let (count, newest): (i64, Option<String>) = cat.db.read(|conn| {
        Ok((
            datasets::table.count().get_result(conn)?,
            datasets::table
                .select(diesel::dsl::max(datasets::metadata_modified))
                .first(conn)?,
        ))
    })?;
    let newest = newest.as_deref().map(micros);
    Ok(index.doc_count() == count as u64 && index.max_modified()? == newest)
}

/// Threads reading the database and building dicts during a rebuild, beside the index
/// writer's own threads: the database side costs as much as the indexing.
const REBUILD_READERS: usize = 2;

/// Indexes every dataset again from the database, committing once at the end;
/// `progress` is told after each batch.
pub fn rebuild(cat: &Catalog, progress: &dyn Fn(u64, u64)) -> anyhow::Result<u64> {
    let Some(index) = &cat.search else {
        return Ok(0);
    };
    let ids: Vec<String> = cat.db.read(|conn| {
        Ok(datasets::table
            .order(datasets::id.asc())
            .select(datasets::id)
            .load(conn)?)
    })?;
    let total = ids.len() as u64;
    // Batches as id ranges, read by whichever reader is free; the writer takes them in any
    // order (the index does not care) and commits once at the end.
    let ranges: Vec<(&str, &str)> = ids
        .chunks(REBUILD_BATCH as usize)
        .filter_map(|chunk| Some((chunk.first()?.as_str(), chunk.last()?.as_str())))
        .collect();
    index.clear()?;
    let next = AtomicUsize::new(0);
    let done = std::thread::scope(|scope| -> anyhow::Result<u64> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(REBUILD_READERS * 2);
        for _ in 0..REBUILD_READERS {
            let sender = sender.clone();
            let (ranges, next) = (&ranges, &next);
            scope.spawn(move || {
                while let Some((first, last)) = ranges.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let documents = read_range(cat, first, last)
                        .map(|dicts| dicts.iter().map(|d| index.document(d)).collect::<Vec<_>>());
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
            index.add_documents(documents)?;
            progress(done, total);
        }
        Ok(done)
    })?;
    index.commit()?;
    Ok(done)
}

/// Dicts of the datasets with ids from `first` to `last`.
fn read_range(cat: &Catalog, first: &str, last: &str) -> AppResult<Vec<Value>> {
    cat.db.read(|conn| {
        let rows: Vec<DatasetRow> = datasets::table
            .filter(datasets::id.ge(first).and(datasets::id.le(last)))
            .order(datasets::id.asc())
            .select(DatasetRow::as_select())
            .load(conn)?;
        dicts_for(conn, &rows, STORED_SITE_URL)
    })
}
