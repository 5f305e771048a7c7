//! Download counts of uploaded files, for the home page's "most downloaded" list. A download
//! is counted in memory and the counts are written every few seconds in one transaction: a
//! database write per download would put every file request behind SQLite's single writer.
//! Counting is not a change of the catalogue (no dataset changes, nothing to index), so it
//! does not pass through the action door; reading the ranking does (`package_popular`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::{Deserialize, Serialize};

use super::params::{self, Errors};
use super::{AppContext, Dict};
use crate::db::schema::{datasets, resource_downloads};
use crate::enums::DatasetState;
use crate::error::AppResult;

/// Downloads counted since the last flush: (dataset id, resource id) -> count.
#[derive(Debug, Default, Clone)]
pub struct DownloadTally(Arc<Mutex<HashMap<(String, String), i64>>>);

impl DownloadTally {
    /// Counts one download of a resource's file.
    pub fn record(&self, dataset_id: &str, resource_id: &str) {
        if let Ok(mut counts) = self.0.lock() {
            *counts
                .entry((dataset_id.to_owned(), resource_id.to_owned()))
                .or_default() += 1;
        }
    }

    fn take(&self) -> HashMap<(String, String), i64> {
        self.0
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default()
    }

    fn put_back(&self, counts: HashMap<(String, String), i64>) {
        if let Ok(mut current) = self.0.lock() {
            for (key, n) in counts {
                *current.entry(key).or_default() += n;
            }
        }
    }
}

/// Writes the counted downloads; on failure they are kept for the next flush. Returns how
/// many resources were written.
pub fn flush(ctx: &AppContext) -> AppResult<usize> {
    let counts = ctx.downloads.take();
    if counts.is_empty() {
        return Ok(0);
    }
    let written = ctx.db.write(|conn| {
        for ((dataset_id, resource_id), n) in &counts {
            let updated = diesel::update(resource_downloads::table.find(resource_id))
                .set(resource_downloads::downloads.eq(resource_downloads::downloads + *n))
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(resource_downloads::table)
                    .values((
                        resource_downloads::resource_id.eq(resource_id),
                        resource_downloads::dataset_id.eq(dataset_id),
                        resource_downloads::downloads.eq(*n),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(counts.len())
    });
    if written.is_err() {
        ctx.downloads.put_back(counts);
    }
    written
}

/// A dataset of the "most downloaded" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopularDataset {
    /// URL name.
    pub name: String,
    /// Vietnamese title.
    pub title: String,
    /// English title (may be empty).
    pub title_en: String,
    /// Downloads of its files.
    pub downloads: i64,
}

/// `package_popular`: public datasets whose files were downloaded most, most first.
pub fn package_popular(ctx: &AppContext, dict: &Dict) -> AppResult<Vec<PopularDataset>> {
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 100, &mut errors).unwrap_or(10);
    errors.into_result()?;
    ctx.db.read(|conn| {
        // The counts are summed per dataset first, on their own table: joined to `datasets`
        // with an empty or small counts table, SQLite scanned every dataset instead
        // (measured: home page p50 121 ms at 100,000 datasets). Datasets that are no longer
        // public are dropped afterwards, so a few more are read than shown.
        // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends read an i64.
        let total = || sql::<BigInt>("CAST(SUM(resource_downloads.downloads) AS BIGINT)");
        let ranked: Vec<(String, i64)> = resource_downloads::table
            .group_by(resource_downloads::dataset_id)
            .select((resource_downloads::dataset_id, total()))
            .order(total().desc())
            .limit(limit.saturating_mul(4).saturating_add(20))
            .load(conn)?;
        let ids: Vec<&str> = ranked.iter().map(|(id, _)| id.as_str()).collect();
        let rows: Vec<(String, String, String, String)> = datasets::table
            .filter(datasets::id.eq_any(&ids))
            .filter(datasets::state.eq(DatasetState::Active))
            .filter(datasets::private.eq(false))
            .select((
                datasets::id,
                datasets::name,
                datasets::title,
                datasets::title_en,
            ))
            .load(conn)?;
        let mut popular: Vec<PopularDataset> = ranked
            .iter()
            .filter_map(|(id, downloads)| {
                let (_, name, title, title_en) = rows.iter().find(|row| &row.0 == id)?;
                Some(PopularDataset {
                    name: name.clone(),
                    title: title.clone(),
                    title_en: title_en.clone(),
                    downloads: *downloads,
                })
            })
            .collect();
        // Equal counts in a stable order.
        popular.sort_by(|a, b| {
            b.downloads
                .cmp(&a.downloads)
                .then_with(|| a.name.cmp(&b.name))
        });
        popular.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(popular)
    })
}
