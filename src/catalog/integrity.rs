//! Start-up checks of what is stored: rows written before a rule existed are brought under it,
//! and files that crashes or failed writes left behind are removed.

use std::collections::HashSet;

use diesel::prelude::*;

use super::AppContext;
use crate::db::schema::resources;
use crate::error::AppResult;
use crate::storage::{is_safe_key_part, SweepReport};

/// Gives a new id to every resource whose id could not be one folder of a storage key.
/// Client-chosen ids were once stored verbatim, and `../0c/<another id>` let an editor write
/// over another department's file. Such a row's storage key is dropped when it would leave the
/// store (its file, if any, was never the resource's own). Returns how many rows were re-keyed.
pub fn rekey_unsafe_resource_ids(ctx: &AppContext) -> AppResult<usize> {
    ctx.db.write(|conn| {
        // Only dots and slashes make a key escape; the rest is checked in Rust.
        let suspects: Vec<(String, Option<String>)> = resources::table
            .filter(
                resources::id
                    .eq("")
                    .or(resources::id.like("%.%"))
                    .or(resources::id.like("%/%")),
            )
            .select((resources::id, resources::storage_key))
            .load(conn)?;
        let mut rekeyed = 0;
        for (old_id, key) in suspects {
            if is_safe_key_part(&old_id) {
                continue;
            }
            let new_id = crate::db::new_id();
            let key = key.filter(|k| ctx.files.path_of(k).is_some());
            diesel::update(resources::table.filter(resources::id.eq(&old_id)))
                .set((resources::id.eq(&new_id), resources::storage_key.eq(&key)))
                .execute(conn)?;
            tracing::warn!(%old_id, %new_id, "resource id could escape the file store: re-keyed");
            rekeyed += 1;
        }
        Ok(rekeyed)
    })
}

/// Removes temporary uploads and stored files no resource (nor catalogue decision) names (see `FileStore::sweep`).
pub fn sweep_files(ctx: &AppContext, grace: std::time::Duration) -> anyhow::Result<SweepReport> {
    let keys: Vec<String> = ctx.db.read(|conn| {
        let mut keys: Vec<String> = resources::table
            .filter(resources::storage_key.is_not_null())
            .select(resources::storage_key.assume_not_null())
            .load(conn)?;
        // Replaced files stay downloadable from the history.
        keys.extend(crate::catalog::datasets::resources::files::all_keys(conn)?);
        // The signed decisions of catalogue versions live in the same store.
        keys.extend(super::catalogue::versions::decision_keys(conn)?);
        Ok(keys)
    })?;
    let referenced: HashSet<String> = keys.into_iter().collect();
    let report = ctx.files.sweep(&referenced, grace)?;
    if report != SweepReport::default() {
        tracing::info!(
            temporary = report.temporary,
            orphans = report.orphans,
            "removed files left by interrupted uploads and failed writes"
        );
    }
    Ok(report)
}
