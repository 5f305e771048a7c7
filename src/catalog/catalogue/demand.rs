//! Demand for an entry's data (Decree 47/2020 art. 17(1)(h)): downloads of the files of its
//! linked datasets (`catalog::downloads`) and API reads of those datasets (`package_show`
//! through the API, counted here) raise it; the data office ranks entries by it
//! (`catalogue_entry_list sort=demand`). API reads are counted in memory and written every few
//! seconds in one transaction, as downloads are, so that a read never waits for SQLite's one
//! writer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::{Deserialize, Serialize};

use crate::catalog::AppContext;
use crate::db::schema::{catalogue_entry_datasets, dataset_api_reads, resource_downloads};
use crate::db::DbConnection;
use crate::error::AppResult;

/// API reads counted since the last flush: dataset id -> reads.
#[derive(Debug, Default, Clone)]
pub struct ReadTally(Arc<Mutex<HashMap<String, i64>>>);

impl ReadTally {
    /// Counts one API read of a dataset.
    pub fn record(&self, dataset_id: &str) {
        if let Ok(mut counts) = self.0.lock() {
            *counts.entry(dataset_id.to_owned()).or_default() += 1;
        }
    }

    fn take(&self) -> HashMap<String, i64> {
        self.0
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default()
    }

    fn put_back(&self, counts: HashMap<String, i64>) {
        if let Ok(mut current) = self.0.lock() {
            for (key, n) in counts {
                *current.entry(key).or_default() += n;
            }
        }
    }
}

/// Writes the counted API reads; on failure they are kept for the next flush.
pub fn flush(ctx: &AppContext) -> AppResult<usize> {
    let counts = ctx.catalogue.reads.take();
    if counts.is_empty() {
        return Ok(0);
    }
    let written = ctx.db.write(|conn| {
        for (dataset_id, n) in &counts {
            let updated = diesel::update(dataset_api_reads::table.find(dataset_id))
                .set(dataset_api_reads::reads.eq(dataset_api_reads::reads + *n))
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(dataset_api_reads::table)
                    .values((
                        dataset_api_reads::dataset_id.eq(dataset_id),
                        dataset_api_reads::reads.eq(*n),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(counts.len())
    });
    if written.is_err() {
        ctx.catalogue.reads.put_back(counts);
    }
    written
}

/// The demand for one entry's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demand {
    /// Downloads of the files of its linked datasets.
    pub downloads: i64,
    /// API reads of its linked datasets.
    pub api_reads: i64,
    /// What the ranking sorts on: downloads and API reads, each counted once.
    pub score: i64,
}

/// The demand for each of `entry_ids` (entries without linked datasets have none).
pub fn demand_of(
    conn: &mut DbConnection,
    entry_ids: &[&str],
) -> AppResult<HashMap<String, Demand>> {
    let links: Vec<(String, String)> = catalogue_entry_datasets::table
        .filter(catalogue_entry_datasets::entry_id.eq_any(entry_ids))
        .select((
            catalogue_entry_datasets::entry_id,
            catalogue_entry_datasets::dataset_id,
        ))
        .load(conn)?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let dataset_ids: Vec<&str> = links.iter().map(|(_, d)| d.as_str()).collect();
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends read an i64.
    let total = || sql::<BigInt>("CAST(SUM(resource_downloads.downloads) AS BIGINT)");
    let downloads: HashMap<String, i64> = resource_downloads::table
        .filter(resource_downloads::dataset_id.eq_any(&dataset_ids))
        .group_by(resource_downloads::dataset_id)
        .select((resource_downloads::dataset_id, total()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let reads: HashMap<String, i64> = dataset_api_reads::table
        .filter(dataset_api_reads::dataset_id.eq_any(&dataset_ids))
        .select((dataset_api_reads::dataset_id, dataset_api_reads::reads))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut out: HashMap<String, Demand> = HashMap::new();
    for (entry, dataset) in &links {
        let demand = out.entry(entry.clone()).or_default();
        demand.downloads += downloads.get(dataset).copied().unwrap_or(0);
        demand.api_reads += reads.get(dataset).copied().unwrap_or(0);
        demand.score = demand.downloads + demand.api_reads;
    }
    Ok(out)
}
