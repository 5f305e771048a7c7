//! Resources: the files and links of a dataset. Uploaded files are stored by `FileStore` and
//! served back from the portal's download URL.

use diesel::prelude::*;
use serde_json::Value;

use super::view::ResourceView;
use crate::catalog::params::{self, Errors};
use crate::db::models::ResourceRow;
use crate::db::schema::resources;
use crate::db::{now_text, DbConnection};
use crate::enums::{ObjectState, UrlType};
use crate::error::{AppError, AppResult, FieldCode};

mod actions;
pub use actions::{
    resource_create, resource_delete, resource_download, resource_show, resource_update, Download,
};

/// A checked resource from a data dict.
#[derive(Debug, Clone)]
pub struct ResourceInput {
    /// Existing resource id, when updating.
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Format label; guessed from the URL when empty.
    pub format: String,
    /// MIME type.
    pub mimetype: String,
    /// External URL (ignored for uploads).
    pub url: String,
    /// True when the dict says the resource is an uploaded file.
    pub is_upload: bool,
}

/// Checks one resource dict; errors are reported under `prefix.field`.
pub fn validate_item(item: &Value, prefix: &str, e: &mut Errors) -> Option<ResourceInput> {
    let Some(dict) = item.as_object() else {
        e.add(prefix, FieldCode::ResourceNotObject);
        return None;
    };
    let mut local = Errors::default();
    let id = params::text(dict, "id", 100, &mut local).filter(|s| !s.is_empty());
    if id.as_deref().is_some_and(|id| !crate::db::is_server_id(id)) {
        local.add("id", FieldCode::ResourceIdNotUuid);
    }
    let name = params::text(dict, "name", 500, &mut local).unwrap_or_default();
    let description = params::text(dict, "description", 100_000, &mut local).unwrap_or_default();
    let format = params::text(dict, "format", 100, &mut local).unwrap_or_default();
    let mimetype = params::text(dict, "mimetype", 200, &mut local).unwrap_or_default();
    // An upload's `url` is its file name (the portal makes the link); anything else is a link
    // (CKAN clients send "", "link" or nothing for links).
    let url_type = params::text(dict, "url_type", 50, &mut local)
        .and_then(|text| text.parse::<UrlType>().ok())
        .unwrap_or(UrlType::Link);
    let url = if url_type == UrlType::Upload {
        params::text(dict, "url", 2000, &mut local)
    } else {
        params::link(dict, "url", &mut local)
    }
    .unwrap_or_default();
    let ok = local.is_empty();
    for (field, messages) in local.0 {
        for message in messages {
            e.add(format!("{prefix}.{field}").trim_start_matches('.'), message);
        }
    }
    ok.then(|| ResourceInput {
        id,
        format: if format.is_empty() {
            format_from_name(&url)
        } else {
            format
        },
        name,
        description,
        mimetype,
        url,
        is_upload: url_type == UrlType::Upload,
    })
}

/// A format label (CSV, XLSX, ...) from a URL or file name's extension.
pub fn format_from_name(name: &str) -> String {
    let path = name.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    match last.rsplit_once('.') {
        Some((_, ext))
            if (1..=8).contains(&ext.len()) && ext.chars().all(char::is_alphanumeric) =>
        {
            ext.to_uppercase()
        }
        _ => String::new(),
    }
}

/// CKAN's resource dict; uploads get the portal's download URL under `site_url`.
pub fn resource_dict(row: &ResourceRow, site_url: &str) -> Value {
    serde_json::to_value(ResourceView::of(row).with_site_url(site_url)).unwrap_or(Value::Null)
}

/// The file name as one percent-encoded path segment.
pub(crate) fn percent_encode_path(name: &str) -> String {
    // A base to push the name onto as one path segment (the url crate encodes it).
    let Ok(mut url) = url::Url::parse("http://x/") else {
        return name.to_owned();
    };
    url.path_segments_mut()
        .map(|mut segments| {
            segments.push(name);
        })
        .ok();
    url.path().trim_start_matches('/').to_owned()
}

/// The dataset's active resources, in order.
pub fn active_rows(conn: &mut DbConnection, dataset_id: &str) -> AppResult<Vec<ResourceRow>> {
    Ok(resources::table
        .filter(resources::dataset_id.eq(dataset_id))
        .filter(resources::state.eq(ObjectState::Active))
        .order(resources::position.asc())
        .select(ResourceRow::as_select())
        .load(conn)?)
}

/// Makes the dataset's resources exactly `items`: listed ids are updated (uploaded files are
/// kept), new ones created, unlisted ones marked deleted. Returns the dataset's resources afterwards, in order.
pub fn replace_all(
    conn: &mut DbConnection,
    dataset_id: &str,
    items: Vec<ResourceInput>,
    new_dataset: bool,
) -> AppResult<Vec<ResourceRow>> {
    let existing = if new_dataset {
        Vec::new()
    } else {
        active_rows(conn, dataset_id)?
    };
    let now = now_text();
    let mut kept: Vec<ResourceRow> = Vec::new();
    for (position, item) in items.into_iter().enumerate() {
        let current = item
            .id
            .as_ref()
            .and_then(|id| existing.iter().find(|r| &r.id == id));
        match current {
            Some(current) => {
                let row = merged_row(
                    current.clone(),
                    item,
                    position as i32,
                    &current.metadata_modified,
                );
                // Untouched resources keep their change time, so history shows real changes.
                if &row == current {
                    kept.push(row);
                } else {
                    let row = ResourceRow {
                        metadata_modified: now.clone(),
                        ..row
                    };
                    diesel::update(resources::table.find(&row.id))
                        .set(&row)
                        .execute(conn)?;
                    kept.push(row);
                }
            }
            None => {
                if let Some(id) = &item.id {
                    refuse_taken_id(conn, id, position)?;
                }
                let row = new_row(dataset_id, item, position as i32, &now);
                diesel::insert_into(resources::table)
                    .values(&row)
                    .execute(conn)?;
                kept.push(row);
            }
        }
    }
    let dropped: Vec<&str> = existing
        .iter()
        .filter(|r| !kept.iter().any(|k| k.id == r.id))
        .map(|r| r.id.as_str())
        .collect();
    if !dropped.is_empty() {
        diesel::update(resources::table.filter(resources::id.eq_any(dropped)))
            .set(resources::state.eq(ObjectState::Deleted))
            .execute(conn)?;
    }
    Ok(kept)
}

/// A client may name a new resource's id (CKAN clients copying a catalogue do), but not one
/// that another resource, of any dataset and in any state, already has.
fn refuse_taken_id(conn: &mut DbConnection, id: &str, position: usize) -> AppResult<()> {
    let taken: i64 = resources::table
        .filter(resources::id.eq(id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::field(
            &format!("resources[{position}].id"),
            FieldCode::ResourceIdInUse,
        ));
    }
    Ok(())
}

fn new_row(dataset_id: &str, item: ResourceInput, position: i32, now: &str) -> ResourceRow {
    ResourceRow {
        id: item.id.unwrap_or_else(crate::db::new_id),
        dataset_id: dataset_id.to_owned(),
        name: item.name,
        description: item.description,
        format: item.format,
        mimetype: item.mimetype,
        url: item.url,
        url_type: UrlType::Link,
        size: None,
        hash: String::new(),
        storage_key: None,
        position,
        state: ObjectState::Active,
        created: now.to_owned(),
        last_modified: None,
        metadata_modified: now.to_owned(),
    }
}

/// The current row with the dict's fields; an uploaded file stays unless a link replaces it.
fn merged_row(current: ResourceRow, item: ResourceInput, position: i32, now: &str) -> ResourceRow {
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
        size: if keeps_upload { current.size } else { None },
        hash: if keeps_upload {
            current.hash.clone()
        } else {
            String::new()
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
