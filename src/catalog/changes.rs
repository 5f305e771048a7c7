//! The change log of datasets (table `dataset_changes`): every write that changes a dataset's
//! dict adds a numbered row in its own transaction, so the log and the data never disagree.
//! The search index records the last number it holds; whatever comes after is what it lacks
//! (see `indexing::catch_up`).

use diesel::prelude::*;

use crate::db::schema::{dataset_changes, datasets};
use crate::db::DbConnection;
use crate::error::AppResult;

/// Logs a change of one dataset.
pub fn record(conn: &mut DbConnection, dataset_id: &str) -> AppResult<()> {
    diesel::insert_into(dataset_changes::table)
        .values(dataset_changes::dataset_id.eq(dataset_id))
        .execute(conn)?;
    Ok(())
}

/// Logs a change of each of these datasets, in order, with multi-row statements (a bulk
/// import logs thousands per transaction).
pub fn record_all(conn: &mut DbConnection, dataset_ids: &[&str]) -> AppResult<()> {
    for chunk in dataset_ids.chunks(crate::db::rows_per_statement(1)) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| dataset_changes::dataset_id.eq(*id))
            .collect();
        crate::db::insert_rows!(conn, dataset_changes::table, &rows)?;
    }
    Ok(())
}

/// Logs a change of every dataset of an organisation (its title is part of their dicts).
pub fn record_organization(conn: &mut DbConnection, organization_id: &str) -> AppResult<()> {
    diesel::insert_into(dataset_changes::table)
        .values(
            datasets::table
                .filter(datasets::owner_org.eq(organization_id))
                .select(datasets::id),
        )
        .into_columns(dataset_changes::dataset_id)
        .execute(conn)?;
    Ok(())
}

/// The number of the newest change (0 when none was ever logged).
pub fn latest(conn: &mut DbConnection) -> AppResult<i64> {
    let newest: Option<i64> = dataset_changes::table
        .select(diesel::dsl::max(dataset_changes::seq))
        .first(conn)?;
    Ok(newest.unwrap_or(0))
}

/// Ids of the datasets changed after change number `after`, each once.
pub fn changed_since(conn: &mut DbConnection, after: i64) -> AppResult<Vec<String>> {
    let mut ids: Vec<String> = dataset_changes::table
        .filter(dataset_changes::seq.gt(after))
        .select(dataset_changes::dataset_id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// How many changes came after change number `after`.
pub fn count_since(conn: &mut DbConnection, after: i64) -> AppResult<i64> {
    Ok(dataset_changes::table
        .filter(dataset_changes::seq.gt(after))
        .count()
        .get_result(conn)?)
}

/// Forgets the changes up to number `up_to` (the index holds them).
pub fn prune(conn: &mut DbConnection, up_to: i64) -> AppResult<usize> {
    Ok(
        diesel::delete(dataset_changes::table.filter(dataset_changes::seq.le(up_to)))
            .execute(conn)?,
    )
}
