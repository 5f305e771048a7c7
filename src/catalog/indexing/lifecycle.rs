//! The index's life beside the database: opening it (recreated when unreadable), its format
//! stamp, and bringing it up to the database before the server answers.

use anyhow::Context;

use crate::catalog::AppContext;
use crate::config::Settings;
use crate::search::engine::SearchIndex;
use crate::search::synonyms::Synonyms;

/// The format of the dicts stored in the index; an index committed under another stamp is
/// rebuilt. Change it whenever the dataset dict changes shape.
// v2: the `place` keyword (facet and filter of the pages).
const INDEX_STAMP: &str = "dataset-dict-v2";

/// Opens the search index in the data folder, for the server.
pub fn open_search_index(settings: &Settings) -> anyhow::Result<SearchIndex> {
    let index = open_or_recreate(settings, |dir| SearchIndex::open(dir, INDEX_STAMP))?;
    let synonyms = Synonyms::load(&settings.search.synonyms_file)?;
    tracing::info!(groups = synonyms.len(), "search synonyms");
    Ok(index
        .with_result_cache_limits(settings.search.cache_entries, settings.search.cache_bytes)
        .with_synonyms(synonyms))
}

/// Writer memory of `dataportal reindex`, which runs alone (the server's writer keeps less).
const REBUILD_WRITER_BYTES: usize = 256_000_000;

/// Opens the search index in the data folder for `dataportal reindex`.
pub fn open_search_index_for_rebuild(settings: &Settings) -> anyhow::Result<SearchIndex> {
    open_or_recreate(settings, |dir| {
        SearchIndex::open_with_writer_memory(dir, INDEX_STAMP, REBUILD_WRITER_BYTES)
    })
}

/// For a command that writes datasets (`import`, `demo`) when no server runs: holds the
/// search index while it runs, brought up to the database first, so what the command stores
/// is indexed as it goes and the server later starts with an index in step instead of
/// rebuilding it (a server rebuilding 100,000 datasets at start peaked at 417–422 MiB). When a
/// running server holds the index, the command leaves it to that server, which takes the
/// changes in from the change log.
pub fn open_for_command(settings: &Settings, ctx: &mut AppContext) -> anyhow::Result<()> {
    let opened = open_or_recreate(settings, |dir| {
        SearchIndex::open_with_writer_memory(dir, INDEX_STAMP, REBUILD_WRITER_BYTES)
    });
    let index = match opened {
        Ok(index) => index,
        Err(error) if held_elsewhere(&error) => {
            tracing::info!(
                "search index held by a running server: it takes these changes in from the change log"
            );
            return Ok(());
        }
        Err(error) => return Err(error),
    };
    ctx.search = Some(std::sync::Arc::new(index));
    // A command waits for a rebuild, whatever the size: nobody is searching meanwhile.
    bring_up_to_date(ctx, i64::MAX)
}

/// True when opening the index failed because another process (a running server, another
/// command) holds its writer lock.
fn held_elsewhere(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<tantivy::TantivyError>(),
            Some(tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _
            ))
        )
    })
}

/// An index that cannot be opened (damaged, or made by another schema version) is derived
/// data: it is started anew, to be rebuilt. One that another process holds is left alone.
fn open_or_recreate(
    settings: &Settings,
    open: impl Fn(&std::path::Path) -> anyhow::Result<SearchIndex>,
) -> anyhow::Result<SearchIndex> {
    let dir = settings.data_dir.join("search-index");
    open(&dir).or_else(|error| {
        if held_elsewhere(&error) {
            return Err(error.context(
                "the search index is in use by another dataportal process (a server, an import)",
            ));
        }
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
    bring_up_to_date(ctx, SYNCHRONOUS_REBUILD_LIMIT)
}

/// Starts the journal cursor and catches the index up; a rebuild of up to `synchronous_limit`
/// datasets is waited for, a larger one runs in the background.
fn bring_up_to_date(ctx: &AppContext, synchronous_limit: i64) -> anyhow::Result<()> {
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
        super::CatchUp::NeedsRebuild if super::dataset_count(ctx)? <= synchronous_limit => {
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
