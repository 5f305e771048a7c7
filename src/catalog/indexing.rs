//! Keeping the search index in step with the database, the source of truth: after each write
//! the changed datasets are indexed again before the action returns (read-your-writes), and
//! an index that is missing, damaged or behind is rebuilt from the database.

use diesel::prelude::*;
use serde_json::Value;

use super::datasets::dicts_for;
use super::{Catalog, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{datasets, resources};
use crate::error::{AppError, AppResult};
use crate::search::document::micros;

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
        return index
            .apply(std::slice::from_ref(result), &[])
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
        dicts_for(conn, &rows, &cat.site_url)
    })?;
    index
        .apply(&dicts, &[])
        .map_err(|e| AppError::Internal(e.context("indexing changed datasets")))
}

/// True when the index holds as many datasets as the database and the same newest change.
pub fn in_step(cat: &Catalog) -> anyhow::Result<bool> {
    let Some(index) = &cat.search else {
        return Ok(true);
    };
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

/// Indexes every dataset again from the database, committing once at the end;
/// `progress` is told after each batch.
pub fn rebuild(cat: &Catalog, progress: &dyn Fn(u64, u64)) -> anyhow::Result<u64> {
    let Some(index) = &cat.search else {
        return Ok(0);
    };
    let total: i64 = cat
        .db
        .read(|conn| Ok(datasets::table.count().get_result(conn)?))?;
    index.clear()?;
    let mut done = 0u64;
    let mut after = String::new();
    loop {
        let dicts = cat.db.read(|conn| {
            let rows: Vec<DatasetRow> = datasets::table
                .filter(datasets::id.gt(&after))
                .order(datasets::id.asc())
                .limit(REBUILD_BATCH)
                .select(DatasetRow::as_select())
                .load(conn)?;
            dicts_for(conn, &rows, &cat.site_url)
        })?;
        let Some(last) = dicts.last().and_then(|d| d["id"].as_str()) else {
            break;
        };
        after = last.to_owned();
        index.add_uncommitted(&dicts)?;
        done += dicts.len() as u64;
        progress(done, total as u64);
    }
    index.commit()?;
    Ok(done)
}
