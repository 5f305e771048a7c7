//! The index follows the change journal (`dataset_changes`), whoever wrote to it: a write
//! logs the datasets it changed in its own transaction, and after the commit the journal
//! entries this index has not yet applied are indexed. The same step runs after every write
//! of this process (read-your-writes: the writer's own change is committed, so it is seen)
//! and every few seconds for writes of other processes (the CLI while the server runs, other
//! servers on one PostgreSQL). No writer knows about indexing, and no rule keyed by action
//! name says which datasets a write touched.
//!
//! On PostgreSQL journal numbers come from a sequence: a transaction may commit after a
//! later-numbered one, and a rolled-back one leaves a hole. The cursor therefore keeps the
//! numbers applied above its contiguous mark, and gives up on a hole once [`HOLE_PATIENCE`]
//! later changes were applied (in-flight writers are bounded by the connection pool; a hole
//! that old is a rollback). A change missed that way is still re-applied at the next start
//! (`REAPPLIED_TAIL`).

use std::collections::BTreeSet;
use std::sync::Mutex;

use diesel::prelude::*;

use serde_json::Value;

use super::apply_changed;
use crate::catalog::AppContext;
use crate::db::schema::dataset_changes;
use crate::error::{AppError, AppResult};

/// Applied changes above a hole after which the hole is taken for a rolled-back write.
const HOLE_PATIENCE: usize = 256;

/// How far this process's index has followed the journal.
#[derive(Debug, Default)]
pub struct Cursor {
    /// Every change up to this number is applied (or was a rolled-back write); `None` until
    /// the index is attached and caught up.
    through: Option<i64>,
    /// Changes applied above `through`, waiting for the holes below them to fill.
    above: BTreeSet<i64>,
}

impl Cursor {
    /// Starts following after change `seq` (the index holds everything up to it).
    pub fn start_at(&mut self, seq: i64) {
        self.through = Some(seq);
        self.above.clear();
    }

    /// Records changes as applied and moves the contiguous mark over them.
    fn mark_applied(&mut self, seqs: &[i64]) {
        let Some(mut through) = self.through else {
            return;
        };
        self.above
            .extend(seqs.iter().copied().filter(|s| *s > through));
        while self.above.len() > HOLE_PATIENCE {
            // The oldest hole has waited long enough: treat it as a rolled-back write.
            if let Some(first) = self.above.pop_first() {
                through = first;
            }
        }
        while self.above.remove(&(through + 1)) {
            through += 1;
        }
        self.through = Some(through);
    }
}

/// A cursor shared by the threads of one server.
pub type SharedCursor = std::sync::Arc<Mutex<Cursor>>;

/// Indexes the journal entries this process has not applied yet. A no-op without an index
/// (the CLI) or before the index is attached. Holding the cursor's lock for the whole step
/// keeps two followers from indexing the same change twice.
pub fn follow(ctx: &AppContext) -> AppResult<usize> {
    follow_with(ctx, Vec::new())
}

/// [`follow`] after a bulk write (an import batch), given the dicts it just built in the
/// stored form (no site URL): those are indexed as they are, not read back.
pub fn follow_with(ctx: &AppContext, built: Vec<Value>) -> AppResult<usize> {
    let Some(index) = &ctx.search else {
        return Ok(0);
    };
    let mut cursor = ctx
        .journal
        .lock()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("journal cursor poisoned")))?;
    let Some(through) = cursor.through else {
        return Ok(0);
    };
    let entries: Vec<(i64, String)> = ctx.db.read(|conn| {
        Ok(dataset_changes::table
            .filter(dataset_changes::seq.gt(through))
            .order(dataset_changes::seq.asc())
            .select((dataset_changes::seq, dataset_changes::dataset_id))
            .load(conn)?)
    })?;
    let fresh: Vec<&(i64, String)> = entries
        .iter()
        .filter(|(seq, _)| !cursor.above.contains(seq))
        .collect();
    if fresh.is_empty() {
        return Ok(0);
    }
    let mut ids: Vec<String> = fresh.iter().map(|(_, id)| id.clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    let seqs: Vec<i64> = fresh.iter().map(|(seq, _)| *seq).collect();
    let mut after = Cursor {
        through: cursor.through,
        above: cursor.above.clone(),
    };
    after.mark_applied(&seqs);
    // The index records the contiguous mark: a start-up catch-up re-applies from there.
    apply_changed(ctx, index, &ids, built, after.through.unwrap_or(through))?;
    *cursor = after;
    Ok(ids.len())
}

/// Follows the journal every `period`, for writes made by other processes, until the task
/// is dropped. Holds the index weakly, so it ends soon after the server drops it; failures
/// are logged and retried next time. The database work runs on the blocking pool, which a
/// runtime waits for when it shuts down.
pub async fn follow_periodically(ctx: AppContext, period: std::time::Duration) {
    let Some(index) = &ctx.search else {
        return;
    };
    let index = std::sync::Arc::downgrade(index);
    let mut ctx = ctx;
    ctx.search = None;
    loop {
        tokio::time::sleep(period).await;
        let Some(alive) = index.upgrade() else {
            return;
        };
        let mut step = ctx.clone();
        step.search = Some(alive);
        let outcome = tokio::task::spawn_blocking(move || follow(&step)).await;
        match outcome {
            Ok(Ok(0)) => {}
            Ok(Ok(count)) => tracing::info!(count, "indexed datasets changed by another process"),
            Ok(Err(error)) => tracing::warn!(error = %error, "following the change journal"),
            Err(error) => tracing::warn!(error = %error, "the change journal follower stopped"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn the_mark_moves_over_contiguous_changes_and_waits_at_a_hole() {
        let mut cursor = Cursor::default();
        cursor.start_at(10);
        cursor.mark_applied(&[11, 12, 14]);
        assert_eq!(cursor.through, Some(12));
        assert!(cursor.above.contains(&14));
        cursor.mark_applied(&[13]);
        assert_eq!(cursor.through, Some(14));
        assert!(cursor.above.is_empty());
    }

    #[test]
    fn a_hole_older_than_the_patience_is_taken_for_a_rollback() {
        let mut cursor = Cursor::default();
        cursor.start_at(0);
        let later: Vec<i64> = (2..=(super::HOLE_PATIENCE as i64 + 2)).collect();
        cursor.mark_applied(&later);
        assert_eq!(cursor.through, Some(super::HOLE_PATIENCE as i64 + 2));
    }
}
