//! Harvesting: records are gathered from a source, fetched, and imported into the catalogue
//! through the same store as `package_create`. `dataportal import` (a JSON-lines file of CKAN
//! package dicts) is the first source; the CKAN and DCAT pull harvesters bring their own
//! [`Source`] and reuse the rest.

pub mod ckan;
pub mod dcat;
mod import;
mod jsonl;
mod organizations;
pub mod run;
mod stored;

use std::io::BufRead;

use serde_json::Value;

use crate::catalog::{AppContext, Dict};
pub use import::Importer;
pub use jsonl::JsonLines;

/// Records gathered, fetched and stored per transaction.
pub const BATCH: usize = 2000;

/// Where harvested records come from: `gather` lists what there is to take (lines of a file,
/// ids a remote portal changed since the last run), `fetch` reads one as a CKAN package dict.
pub trait Source {
    /// What `gather` lists and `fetch` reads: a line of a file, an id at a remote portal.
    type Item;

    /// The next records to fetch, at most `max`, each with its position in the source (line
    /// number) for the report; empty when there are no more.
    fn gather(&mut self, max: usize) -> anyhow::Result<Vec<(usize, Self::Item)>>;

    /// One gathered record as a CKAN package dict, or why it cannot be read.
    fn fetch(&mut self, item: Self::Item) -> Result<Dict, String>;
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// New datasets.
    pub created: u64,
    /// Existing datasets changed.
    pub updated: u64,
    /// Lines skipped: (line number, dataset name, reason).
    pub failed: Vec<(usize, String, String)>,
    /// Lines imported with something left out: (line number, dataset name, what).
    pub warnings: Vec<(usize, String, String)>,
}

/// What to do with a dataset whose name already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Replace it with the imported dict.
    Update,
    /// Leave it as it is (used by the idempotent demo).
    Skip,
}

/// Runs the pipeline over every record of `source`, [`BATCH`] at a time: gather, fetch, then
/// import (validated, stored, and indexed when this process holds the search index).
/// `progress` is told how many records each batch took.
pub fn harvest<S: Source>(
    ctx: &AppContext,
    source: &mut S,
    on_existing: OnExisting,
    progress: &dyn Fn(u64),
) -> anyhow::Result<ImportReport> {
    let mut importer = Importer::new(ctx, on_existing)?;
    let mut report = ImportReport::default();
    // A batch is indexed on a thread of its own while the next one is checked and stored
    // (indexing took 7 s of a 68 s import of 100,000 datasets on PostgreSQL, on the thread
    // that then waited for it).
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (to_index, stored) = std::sync::mpsc::sync_channel::<Vec<Value>>(1);
        scope.spawn(move || index_batches(ctx, stored));
        loop {
            let gathered = source.gather(BATCH)?;
            if gathered.is_empty() {
                return Ok(());
            }
            let taken = gathered.len() as u64;
            let records = gathered
                .into_iter()
                .map(|(position, item)| (position, source.fetch(item)))
                .collect();
            let dicts = importer.import(ctx, records, &mut report)?;
            if ctx.search.is_some() && !dicts.is_empty() {
                // Fails only if the indexing thread is gone (it panicked): the index then
                // catches up from the change log at the server's next start.
                to_index.send(dicts).ok();
            }
            progress(taken);
        }
    })?;
    refresh_statistics(ctx)?;
    report.failed.sort_by_key(|(line, _, _)| *line);
    Ok(report)
}

/// After a bulk load, PostgreSQL's planner statistics still describe the tables as they were
/// (autovacuum's ANALYZE comes minutes later): right after importing 100,000 datasets into an
/// empty database it read the whole table for each page of the DCAT export (58 ms a page
/// instead of 0.4 ms; 24.8 s for the export instead of the goal's 15). SQLite plans without
/// such statistics.
fn refresh_statistics(ctx: &AppContext) -> anyhow::Result<()> {
    ctx.db.write(|conn| {
        if let crate::db::DbConnection::Postgresql(pg) = conn {
            diesel::connection::SimpleConnection::batch_execute(pg, "ANALYZE")?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Keeps the search index in step with what the import stores, when this process holds the
/// index (the command line when no server runs): the dicts just stored are indexed as they
/// are, not read back. After a failure the rest is left to the change log.
fn index_batches(ctx: &AppContext, stored: std::sync::mpsc::Receiver<Vec<Value>>) {
    let mut failed = false;
    for dicts in stored {
        if failed {
            continue;
        }
        if let Err(error) = crate::catalog::indexing::follow::follow_with(ctx, dicts) {
            tracing::warn!(
                error = %error,
                "indexing imported datasets failed; the index catches up from the change log at the server's next start"
            );
            failed = true;
        }
    }
}

/// `dataportal import`: CKAN package dicts (as `package_show` or `package_search` of any CKAN
/// portal return them, or the province's own catalogue records), one JSON object per line.
/// Organisations are created as needed; a dataset whose name exists is updated.
pub fn import_lines(
    ctx: &AppContext,
    reader: impl BufRead,
    on_existing: OnExisting,
    progress: &dyn Fn(u64),
) -> anyhow::Result<ImportReport> {
    harvest(ctx, &mut JsonLines::new(reader), on_existing, progress)
}
