//! The index's life beside the database: opening it (recreated when unreadable), its format
//! stamp, and bringing it up to the database before the server answers.

use anyhow::Context;

use crate::catalog::AppContext;
use crate::config::Settings;
use crate::search::engine::SearchIndex;

/// The format of the dicts stored in the index; an index committed under another stamp is
/// rebuilt. Change it whenever the dataset dict changes shape.
const INDEX_STAMP: &str = "dataset-dict-v1";

/// Opens the search index in the data folder, for the server.
pub fn open_search_index(settings: &Settings) -> anyhow::Result<SearchIndex> {
    let index = open_or_recreate(settings, |dir| SearchIndex::open(dir, INDEX_STAMP))?;
    Ok(index.with_result_cache_limits(settings.search.cache_entries, settings.search.cache_bytes))
}

/// Writer memory of `dataportal reindex`, which runs alone (the server's writer keeps less).
const REBUILD_WRITER_BYTES: usize = 256_000_000;

/// Opens the search index in the data folder for `dataportal reindex`.
pub fn open_search_index_for_rebuild(settings: &Settings) -> anyhow::Result<SearchIndex> {
    open_or_recreate(settings, |dir| {
        SearchIndex::open_with_writer_memory(dir, INDEX_STAMP, REBUILD_WRITER_BYTES)
    })
}

/// An index that cannot be opened (damaged, or made by another schema version) is derived
/// data: it is started anew, to be rebuilt.
fn open_or_recreate(
    settings: &Settings,
    open: impl Fn(&std::path::Path) -> anyhow::Result<SearchIndex>,
) -> anyhow::Result<SearchIndex> {
    let dir = settings.data_dir.join("search-index");
    open(&dir).or_else(|error| {
        tracing::warn!(
            error = format!("{error:#}"),
            "search index unreadable, recreating it"
        );
        std::fs::remove_dir_all(&dir).ok();
        open(&dir)
    })
}

/// Catalogues up to this size are re-indexed before the server answers (a few seconds at
/// most: 20,000 datasets index in about 5 s here), so no search is ever answered from a
/// partial index; larger ones in the background.
const SYNCHRONOUS_REBUILD_LIMIT: i64 = 20_000;

/// Brings the search index up to the database before serving: the datasets changed since
/// its last commit (a crash, or writes by the CLI) are indexed at once; an index that must be
/// rebuilt from scratch (missing, damaged, another format) is rebuilt in the background while
/// the server answers.
pub fn catch_up_search_index(ctx: &AppContext) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // The journal position first: what is logged after it reaches the index by following.
    let latest = ctx.db.read(crate::catalog::changes::latest)?;
    ctx.journal
        .lock()
        .map_err(|_| anyhow::anyhow!("journal cursor poisoned"))?
        .start_at(latest);
    match super::catch_up(ctx).context("bringing the search index up to date")? {
        super::CatchUp::InStep => {}
        super::CatchUp::CaughtUp(count) => tracing::info!(
            count,
            ms = started.elapsed().as_millis() as u64,
            "search index caught up with the database"
        ),
        super::CatchUp::NeedsRebuild if super::dataset_count(ctx)? <= SYNCHRONOUS_REBUILD_LIMIT => {
            let count = super::rebuild(ctx, &|_, _| {})?;
            tracing::info!(
                count,
                ms = started.elapsed().as_millis() as u64,
                "search index rebuilt"
            );
        }
        super::CatchUp::NeedsRebuild => {
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                tracing::info!("search index out of step with the database: rebuilding");
                match super::rebuild(&ctx, &|_, _| {}) {
                    Ok(count) => tracing::info!(count, "search index rebuilt"),
                    Err(error) => {
                        tracing::error!(error = format!("{error:#}"), "search index rebuild failed")
                    }
                }
            });
        }
    }
    Ok(())
}
