//! Resources: the files and links of a dataset. Uploaded files are stored by `FileStore` and
//! served back from the portal's download URL.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::catalog::params::{self, Errors};
use crate::db::models::ResourceRow;
use crate::db::schema::resources;
use crate::db::DbConnection;
use crate::error::AppResult;

mod actions;
mod store;
pub use actions::{
    resource_create, resource_delete, resource_download, resource_show, resource_update, Download,
};
use store::{merged_row, new_row};
pub use store::{replace_many, ResourceSet};

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
        e.add(
            prefix,
            "Tài nguyên phải là một đối tượng JSON / A resource must be a JSON object",
        );
        return None;
    };
    let mut local = Errors::default();
    let id = params::text(dict, "id", 100, &mut local).filter(|s| !s.is_empty());
    if id.as_deref().is_some_and(|id| !crate::db::is_server_id(id)) {
        local.add(
            "id",
            "Mã tài nguyên phải là một UUID (để trống để cổng tự tạo) / \
             A resource id must be a UUID (leave it out and the portal makes one)",
        );
    }
    let name = params::text(dict, "name", 500, &mut local).unwrap_or_default();
    let description = params::text(dict, "description", 100_000, &mut local).unwrap_or_default();
    let format = params::text(dict, "format", 100, &mut local).unwrap_or_default();
    let mimetype = params::text(dict, "mimetype", 200, &mut local).unwrap_or_default();
    let url_type = params::text(dict, "url_type", 50, &mut local).unwrap_or_default();
    // An upload's `url` is its file name (the portal makes the link); anything else is a link.
    let url = if url_type == "upload" {
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
        is_upload: url_type == "upload",
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

/// CKAN's resource dict; uploads get the portal's download URL.
pub fn resource_dict(row: &ResourceRow, site_url: &str) -> Value {
    let url = if row.url_type == "upload" {
        format!(
            "{site_url}/dataset/{}/resource/{}/download/{}",
            row.dataset_id,
            row.id,
            percent_encode_path(&row.url)
        )
    } else {
        row.url.clone()
    };
    json!({
        "id": row.id,
        "package_id": row.dataset_id,
        "name": row.name,
        "description": row.description,
        "format": row.format,
        "mimetype": row.mimetype,
        "url": url,
        "url_type": row.url_type,
        "size": row.size,
        "hash": row.hash,
        "position": row.position,
        "state": row.state,
        "created": row.created,
        "last_modified": row.last_modified,
        "metadata_modified": row.metadata_modified,
        "datastore_active": false,
    })
}

/// Upload links of a dataset dict with the site URL taken off (`site_url` -> ""), or put on
/// again: the search index stores dicts without it, since the address the portal is reached at
/// is configuration, not data.
pub fn rebase_upload_links(dataset: &mut Value, from: &str, to: &str) {
    let Some(resources) = dataset.get_mut("resources").and_then(Value::as_array_mut) else {
        return;
    };
    for resource in resources {
        if resource["url_type"] != "upload" {
            continue;
        }
        if let Some(path) = resource["url"]
            .as_str()
            .and_then(|url| url.strip_prefix(from))
            .filter(|path| path.starts_with('/'))
        {
            resource["url"] = Value::String(format!("{to}{path}"));
        }
    }
}

fn percent_encode_path(name: &str) -> String {
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
        .filter(resources::state.eq("active"))
        .order(resources::position.asc())
        .select(ResourceRow::as_select())
        .load(conn)?)
}
