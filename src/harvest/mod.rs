//! Harvesting: records are gathered from a source, fetched, and imported into the catalogue
//! through the same store as `package_create`. `dataportal import` (a JSON-lines file of CKAN
//! package dicts) is the first source; the CKAN and DCAT pull harvesters bring their own
//! [`Source`] and reuse the rest.

pub mod ckan;
mod import;
mod jsonl;
mod organizations;

use std::io::BufRead;

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
    loop {
        let gathered = source.gather(BATCH)?;
        if gathered.is_empty() {
            break;
        }
        let taken = gathered.len() as u64;
        let records = gathered
            .into_iter()
            .map(|(position, item)| (position, source.fetch(item)))
            .collect();
        importer.import(ctx, records, &mut report)?;
        progress(taken);
    }
    report.failed.sort_by_key(|(line, _, _)| *line);
    Ok(report)
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
