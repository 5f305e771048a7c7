//! Storing validated datasets: one (`package_create`, `package_update`) or thousands (import,
//! harvesters) through the same code, a few multi-row statements per table whatever their
//! number. On PostgreSQL every statement is a round trip: one dataset at a time cost about
//! twenty of them (bench, 100,000 datasets: 1,305 s, 77/s); batches of 2,000 take 51-54 s,
//! search index included.

use crate::enums::{ActivityType, ObjectType};
use diesel::prelude::*;
use serde_json::Value;

use super::dict::{dicts_from_parts, Parts};
use super::resources::{self, ResourceSet};
use super::validate::ValidDataset;
use crate::catalog::{activity, changes, Actor};
use crate::db::models::{DatasetRow, DatasetTagRow, DatasetThemeRow};
use crate::db::schema::{dataset_tags, dataset_themes, datasets};
use crate::db::{now_text, rows_per_statement, DbConnection};
use crate::error::AppResult;

/// When a stored dataset was created and last changed; None means now.
#[derive(Debug, Clone, Default)]
pub struct Timestamps {
    /// `metadata_created` to keep (imports keep the source portal's).
    pub created: Option<String>,
    /// `metadata_modified` to keep.
    pub modified: Option<String>,
}

/// A stored dataset that a write changes, with its dict before the change (for the history).
pub struct Current {
    /// Its row as read (for `package_update`, with the revision its lock bumped).
    pub row: DatasetRow,
    /// Its dict.
    pub before: Value,
}

/// One dataset to store.
pub struct DatasetWrite {
    /// What passed validation.
    pub valid: ValidDataset,
    /// Times to keep.
    pub times: Timestamps,
    /// The dataset it changes; None for a new one.
    pub current: Option<Current>,
}

/// Stores validated datasets, new or changed, and records each in the history and the change
/// log; returns their dicts, in order. All or nothing: run it inside a transaction.
pub fn store_all(
    conn: &mut DbConnection,
    actor: &Actor,
    writes: Vec<DatasetWrite>,
    site_url: &str,
) -> AppResult<Vec<Value>> {
    let mut rows = Vec::with_capacity(writes.len());
    let mut labels = Vec::with_capacity(writes.len());
    let mut resource_sets = Vec::with_capacity(writes.len());
    for DatasetWrite {
        valid,
        times,
        current,
    } in writes
    {
        let row = row_of(valid.row, actor, times, current.as_ref());
        resource_sets.push(ResourceSet {
            dataset_id: row.id.clone(),
            items: valid.resources,
            new_dataset: current.is_none(),
        });
        rows.push(row);
        labels.push(Labels {
            tags: valid.tags,
            theme_ids: valid.theme_ids,
            before: current.map(|c| c.before),
        });
    }
    write_rows(conn, &rows, &labels)?;
    replace_tags_and_themes(conn, &rows, &labels)?;
    let resource_rows = resources::replace_many(conn, resource_sets)?;
    let parts: Vec<Parts<'_>> = rows
        .iter()
        .zip(&labels)
        .zip(&resource_rows)
        .map(|((row, labels), resources)| Parts {
            row,
            tags: &labels.tags,
            theme_ids: &labels.theme_ids,
            resources,
        })
        .collect();
    let dicts = dicts_from_parts(conn, &parts, site_url)?;
    let entries: Vec<_> = rows
        .iter()
        .zip(&labels)
        .zip(&dicts)
        .map(|((row, labels), after)| match &labels.before {
            None => activity::entry(
                actor,
                ObjectType::Package,
                &row.id,
                ActivityType::New,
                Vec::new(),
                after,
            ),
            Some(before) => {
                let changed = activity::changed_fields(before, after);
                activity::entry(
                    actor,
                    ObjectType::Package,
                    &row.id,
                    ActivityType::Changed,
                    changed,
                    after,
                )
            }
        })
        .collect();
    activity::record_all(conn, &entries)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    changes::record_all(conn, &ids)?;
    Ok(dicts)
}

/// What a dataset's row does not hold: its tags, themes and (when changed) its dict before.
struct Labels {
    tags: Vec<String>,
    theme_ids: Vec<String>,
    before: Option<Value>,
}

/// The row to store: a new dataset gets an id and revision 1, a changed one keeps its id,
/// creator, revision and creation time.
fn row_of(
    valid: DatasetRow,
    actor: &Actor,
    times: Timestamps,
    current: Option<&Current>,
) -> DatasetRow {
    match current {
        None => {
            let now = now_text();
            DatasetRow {
                id: crate::db::new_id(),
                creator_user_id: actor.user_id.clone(),
                revision: 1,
                metadata_created: times.created.unwrap_or_else(|| now.clone()),
                metadata_modified: times.modified.unwrap_or(now),
                ..valid
            }
        }
        Some(Current { row: current, .. }) => DatasetRow {
            id: current.id.clone(),
            creator_user_id: current.creator_user_id.clone(),
            revision: current.revision,
            metadata_created: times
                .created
                .unwrap_or_else(|| current.metadata_created.clone()),
            metadata_modified: times.modified.unwrap_or_else(now_text),
            ..valid
        },
    }
}

/// Inserts the new rows (multi-row statements) and updates the changed ones.
fn write_rows(conn: &mut DbConnection, rows: &[DatasetRow], labels: &[Labels]) -> AppResult<()> {
    let new: Vec<&DatasetRow> = rows
        .iter()
        .zip(labels)
        .filter(|(_, l)| l.before.is_none())
        .map(|(row, _)| row)
        .collect();
    for chunk in new.chunks(rows_per_statement(DatasetRow::COLUMNS)) {
        crate::db::insert_rows!(conn, datasets::table, chunk.to_vec())?;
    }
    for (row, _) in rows.iter().zip(labels).filter(|(_, l)| l.before.is_some()) {
        diesel::update(datasets::table.find(&row.id))
            .set(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Makes each dataset's tags and themes exactly those validated.
fn replace_tags_and_themes(
    conn: &mut DbConnection,
    rows: &[DatasetRow],
    labels: &[Labels],
) -> AppResult<()> {
    let changed: Vec<&str> = rows
        .iter()
        .zip(labels)
        .filter(|(_, l)| l.before.is_some())
        .map(|(row, _)| row.id.as_str())
        .collect();
    for chunk in changed.chunks(rows_per_statement(1)) {
        diesel::delete(dataset_tags::table.filter(dataset_tags::dataset_id.eq_any(chunk)))
            .execute(conn)?;
        diesel::delete(dataset_themes::table.filter(dataset_themes::dataset_id.eq_any(chunk)))
            .execute(conn)?;
    }
    let tags: Vec<DatasetTagRow> = rows
        .iter()
        .zip(labels)
        .flat_map(|(row, l)| {
            l.tags.iter().map(|tag| DatasetTagRow {
                dataset_id: row.id.clone(),
                tag: tag.clone(),
            })
        })
        .collect();
    for chunk in tags.chunks(rows_per_statement(DatasetTagRow::COLUMNS)) {
        crate::db::insert_rows!(conn, dataset_tags::table, chunk)?;
    }
    let themes: Vec<DatasetThemeRow> = rows
        .iter()
        .zip(labels)
        .flat_map(|(row, l)| {
            l.theme_ids.iter().map(|theme_id| DatasetThemeRow {
                dataset_id: row.id.clone(),
                theme_id: theme_id.clone(),
            })
        })
        .collect();
    for chunk in themes.chunks(rows_per_statement(DatasetThemeRow::COLUMNS)) {
        crate::db::insert_rows!(conn, dataset_themes::table, chunk)?;
    }
    Ok(())
}
