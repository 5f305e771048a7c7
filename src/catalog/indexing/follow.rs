//! Following the change log while serving: datasets written by another process (`dataportal
//! import` or `demo` run while the server runs, another server sharing the PostgreSQL
//! database) reach this server's index within a second, without a restart. The server's own
//! writes are indexed by the writer itself (`after_write`), which moves the index's position
//! past them, so the follower finds nothing to do for them.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{apply_from_database, changes, AppContext};
use crate::error::AppResult;
use crate::search::engine::SearchIndex;

/// How often the server looks for changes it did not make: one `max(seq)` query, a fraction
/// of a millisecond.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

/// Starts the thread that follows the change log; it ends when the server's index is dropped.
pub fn follow_change_log(ctx: &AppContext) -> std::io::Result<()> {
    let Some(index) = &ctx.search else {
        return Ok(());
    };
    let index: Weak<SearchIndex> = Arc::downgrade(index);
    // Without the index: the thread must not keep it alive once the server is gone.
    let ctx = AppContext {
        search: None,
        ..ctx.clone()
    };
    std::thread::Builder::new()
        .name("index-follow".to_owned())
        .spawn(move || {
            let mut seen = 0;
            loop {
                std::thread::sleep(FOLLOW_EVERY);
                let Some(index) = index.upgrade() else {
                    return;
                };
                match take_in_new_changes(&ctx, &index, seen) {
                    Ok(latest) => seen = latest,
                    Err(error) => tracing::warn!(error = %error, "following the change log"),
                }
            }
        })
        .map(|_| ())
}

/// Indexes the datasets changed after the index's position when the change log was already
/// past it at the last look (`seen`): the server's own writes close that gap within
/// milliseconds, and indexing them again from an older read could undo a newer version.
/// Returns the log's newest position.
fn take_in_new_changes(ctx: &AppContext, index: &SearchIndex, seen: i64) -> AppResult<i64> {
    // A rebuild from scratch takes in everything up to where it began; what came after
    // waits for it to end.
    if index.is_rebuilding() {
        return Ok(seen);
    }
    let position = index.applied_position();
    let latest = ctx.db.read(changes::latest)?;
    if latest <= position || seen <= position {
        return Ok(latest);
    }
    let ids = ctx.db.read(|conn| changes::changed_since(conn, position))?;
    tracing::debug!(
        count = ids.len(),
        "search index taking in datasets changed elsewhere"
    );
    apply_from_database(ctx, index, &ids)?;
    Ok(latest)
}
