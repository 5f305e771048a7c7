//! Resources: the files and links of a dataset. Uploaded files are stored by `FileStore` and
//! served back from the portal's download URL.

use diesel::prelude::*;
use serde_json::Value;

use super::view::ResourceView;
use crate::catalog::params::{self, Errors};
use crate::db::models::ResourceRow;
use crate::db::schema::resources;
use crate::db::DbConnection;
use crate::enums::{ObjectState, UrlType};
use crate::error::{AppResult, FieldCode};

mod actions;
pub mod files;
pub mod open_formats;
mod reorder;
mod store;
pub use actions::{
    resource_create, resource_delete, resource_download, resource_show, resource_update, Download,
};
pub use reorder::package_resource_reorder;
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
    /// A link's size in bytes as the dict gives it (a harvested file's `dcat:byteSize`, a
    /// CKAN's `size`); an upload's is measured from its file.
    pub size: Option<i64>,
    /// A link's checksum as the dict gives it (`spdx:checksum`, CKAN's `hash`); an upload's
    /// is computed from its file.
    pub hash: String,
}

/// Longest `hash` kept for a link.
const HASH_CHARS: usize = 200;

/// A link's `size` and `hash`: what other portals put there ranges from numbers to free text
/// ("1.2 MB"), and the link itself matters more, so a value that is not a byte count or a
/// short hash is left out rather than refusing the resource.
fn link_size_and_hash(dict: &serde_json::Map<String, Value>) -> (Option<i64>, String) {
    let size = match dict.get("size") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .filter(|n| *n >= 0);
    let hash = dict
        .get("hash")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|h| h.chars().count() <= HASH_CHARS && !h.chars().any(char::is_control))
        .unwrap_or_default()
        .to_owned();
    (size, hash)
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
    let (size, hash) = link_size_and_hash(dict);
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
        size,
        hash,
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
