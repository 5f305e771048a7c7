//! Storing the resources listed in dataset dicts, for one dataset or thousands at once: the
//! stored ones are read in one query, the new ones written with multi-row statements.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{ResourceInput, ResourceRow};
use crate::db::schema::resources;
use crate::db::{now_text, rows_per_statement, DbConnection};
use crate::enums::{ObjectState, UrlType};
use crate::error::{AppError, AppResult, FieldCode};

/// The resources one dataset of a write is to have.
pub struct ResourceSet {
    /// The dataset.
    pub dataset_id: String,
    /// The resources its dict lists; None keeps the stored ones.
    pub items: Option<Vec<ResourceInput>>,
    /// True for a dataset this write creates (nothing of it is stored yet).
    pub new_dataset: bool,
}

/// Makes each dataset's resources exactly its listed items: listed ids are updated (uploaded
/// files are kept), new ones created, unlisted ones marked deleted. Returns each dataset's
/// active resources afterwards, in order.
pub fn replace_many(
    conn: &mut DbConnection,
    sets: Vec<ResourceSet>,
) -> AppResult<Vec<Vec<ResourceRow>>> {
    let stored_ids: Vec<&str> = sets
        .iter()
        .filter(|s| !s.new_dataset)
        .map(|s| s.dataset_id.as_str())
        .collect();
    let mut stored = active_rows_of(conn, &stored_ids)?;
    let now = now_text();
    let mut out = Vec::with_capacity(sets.len());
    let (mut inserts, mut updates, mut dropped) = (Vec::new(), Vec::new(), Vec::new());
    // Ids that clients gave new resources, with where each was given.
    let mut claimed: Vec<(String, usize)> = Vec::new();
    for set in sets {
        let current = stored.remove(&set.dataset_id).unwrap_or_default();
        let Some(items) = set.items else {
            out.push(current);
            continue;
        };
        let mut kept: Vec<ResourceRow> = Vec::with_capacity(items.len());
        for (position, item) in items.into_iter().enumerate() {
            let found = item
                .id
                .as_ref()
                .and_then(|id| current.iter().find(|r| &r.id == id));
            match found {
                Some(before) => {
                    let row = merged_row(
                        before.clone(),
                        item,
                        position as i32,
                        &before.metadata_modified,
                    );
                    // Untouched resources keep their change time, so history shows real changes.
                    if &row == before {
                        kept.push(row);
                    } else {
                        let row = ResourceRow {
                            metadata_modified: now.clone(),
                            ..row
                        };
                        updates.push(row.clone());
                        kept.push(row);
                    }
                }
                None => {
                    if let Some(id) = &item.id {
                        claimed.push((id.clone(), position));
                    }
                    let row = new_row(&set.dataset_id, item, position as i32, &now);
                    inserts.push(row.clone());
                    kept.push(row);
                }
            }
        }
        dropped.extend(
            current
                .iter()
                .filter(|r| !kept.iter().any(|k| k.id == r.id))
                .map(|r| r.id.clone()),
        );
        out.push(kept);
    }
    refuse_taken_ids(conn, &claimed)?;
    for row in &updates {
        diesel::update(resources::table.find(&row.id))
            .set(row)
            .execute(conn)?;
    }
    for chunk in dropped.chunks(rows_per_statement(1)) {
        diesel::update(resources::table.filter(resources::id.eq_any(chunk)))
            .set(resources::state.eq("deleted"))
            .execute(conn)?;
    }
    for chunk in inserts.chunks(rows_per_statement(ResourceRow::COLUMNS)) {
        crate::db::insert_rows!(conn, resources::table, chunk)?;
    }
    Ok(out)
}

/// The active resources of these datasets, in order, by dataset.
fn active_rows_of(
    conn: &mut DbConnection,
    dataset_ids: &[&str],
) -> AppResult<HashMap<String, Vec<ResourceRow>>> {
    let mut by_dataset: HashMap<String, Vec<ResourceRow>> = HashMap::new();
    for chunk in dataset_ids.chunks(rows_per_statement(1)) {
        let rows: Vec<ResourceRow> = resources::table
            .filter(resources::dataset_id.eq_any(chunk))
            .filter(resources::state.eq("active"))
            .order((resources::dataset_id, resources::position.asc()))
            .select(ResourceRow::as_select())
            .load(conn)?;
        for row in rows {
            by_dataset
                .entry(row.dataset_id.clone())
                .or_default()
                .push(row);
        }
    }
    Ok(by_dataset)
}

/// A client may name a new resource's id (CKAN clients copying a catalogue do), but not one
/// that another resource, of any dataset and in any state, already has, nor one given twice.
fn refuse_taken_ids(conn: &mut DbConnection, claimed: &[(String, usize)]) -> AppResult<()> {
    if claimed.is_empty() {
        return Ok(());
    }
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for chunk in claimed.chunks(rows_per_statement(1)) {
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| id.as_str()).collect();
        let found: Vec<String> = resources::table
            .filter(resources::id.eq_any(&ids))
            .select(resources::id)
            .load(conn)?;
        taken.extend(found);
    }
    for (id, position) in claimed {
        // `insert` is false for an id stored already or claimed earlier in this write.
        if !taken.insert(id.clone()) {
            return Err(AppError::field(
                &format!("resources[{position}].id"),
                FieldCode::ResourceIdInUse,
            ));
        }
    }
    Ok(())
}

pub(super) fn new_row(
    dataset_id: &str,
    item: ResourceInput,
    position: i32,
    now: &str,
) -> ResourceRow {
    ResourceRow {
        id: item.id.unwrap_or_else(crate::db::new_id),
        dataset_id: dataset_id.to_owned(),
        name: item.name,
        description: item.description,
        format: item.format,
        mimetype: item.mimetype,
        url: item.url,
        url_type: UrlType::Link,
        size: item.size,
        hash: item.hash,
        storage_key: None,
        position,
        state: ObjectState::Active,
        created: now.to_owned(),
        last_modified: None,
        metadata_modified: now.to_owned(),
    }
}

/// The current row with the dict's fields; an uploaded file stays unless a link replaces it.
pub(super) fn merged_row(
    current: ResourceRow,
    item: ResourceInput,
    position: i32,
    now: &str,
) -> ResourceRow {
    let keeps_upload =
        current.url_type == UrlType::Upload && (item.is_upload || item.url.is_empty());
    ResourceRow {
        name: item.name,
        description: item.description,
        format: item.format,
        mimetype: if item.mimetype.is_empty() {
            current.mimetype.clone()
        } else {
            item.mimetype
        },
        url: if keeps_upload {
            current.url.clone()
        } else {
            item.url
        },
        url_type: if keeps_upload {
            current.url_type
        } else {
            UrlType::Link
        },
        size: if keeps_upload {
            current.size
        } else {
            item.size
        },
        hash: if keeps_upload {
            current.hash.clone()
        } else {
            item.hash
        },
        storage_key: if keeps_upload {
            current.storage_key.clone()
        } else {
            None
        },
        position,
        metadata_modified: now.to_owned(),
        ..current
    }
}
