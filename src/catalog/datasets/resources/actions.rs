//! The resource actions (`resource_create/update/patch/delete/show`) and downloads: each
//! write authorises against the resource's dataset, places an upload only for a write that
//! commits, and records the dataset's change.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::files::{self, FileChange};
use super::{active_rows, format_from_name, merged_row, new_row, resource_dict, validate_item};
use crate::catalog::datasets::{self, write::touch};
use crate::catalog::params::{self, Errors};
use crate::catalog::{access, activity, privacy, Actor, AppContext, Dict};
use crate::db::models::{DatasetRow, ResourceRow};
use crate::db::schema::resources;
use crate::db::{now_text, DbConnection};
use crate::enums::{ActivityType, DatasetState, ObjectState, ObjectType, UrlType};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};
use crate::storage::{PlacedFile, StagedFile};

fn find_resource(conn: &mut DbConnection, id: &str) -> AppResult<ResourceRow> {
    resources::table
        .filter(resources::id.eq(id))
        .filter(resources::state.eq(ObjectState::Active))
        .select(ResourceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| resource_not_found(id))
}

fn resource_not_found(id: &str) -> AppError {
    AppError::not_found(ErrorCode::ResourceNotFound, id)
}

/// The dataset of a resource the actor is to change. A dataset the actor may not see answers
/// as a missing resource, naming only the resource: its dataset's id is not theirs to learn.
fn editable_dataset_of(
    conn: &mut DbConnection,
    actor: &Actor,
    resource: &ResourceRow,
) -> AppResult<DatasetRow> {
    editable_dataset(conn, actor, &resource.dataset_id).map_err(|error| {
        if error.is_not_found() {
            resource_not_found(&resource.id)
        } else {
            error
        }
    })
}

pub(super) fn editable_dataset(
    conn: &mut DbConnection,
    actor: &Actor,
    dataset_id: &str,
) -> AppResult<DatasetRow> {
    let dataset = datasets::find_visible(conn, actor, dataset_id)?;
    if dataset.state == DatasetState::Deleted {
        return Err(datasets::not_found(dataset_id));
    }
    access::require_dataset_edit(conn, actor, &dataset.owner_org)?;
    Ok(dataset)
}

/// Records the dataset's change; with the file an upload placed (and the one it replaced), so
/// the history links both.
pub(super) fn record_dataset_change(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    dataset: &DatasetRow,
    file: Option<FileChange>,
) -> AppResult<()> {
    touch(conn, &dataset.id)?;
    let fresh =
        datasets::find(conn, &dataset.id)?.ok_or_else(|| datasets::not_found(&dataset.id))?;
    let after = datasets::dicts_for(conn, std::slice::from_ref(&fresh), &ctx.site_url)?
        .pop()
        .unwrap_or(Value::Null);
    let mut entry = activity::entry(
        actor,
        ObjectType::Package,
        &dataset.id,
        ActivityType::Changed,
        vec!["resources".to_owned()],
        &after,
    );
    if let Some(file) = file {
        // Beside `changes` and the dataset: the file versions, which the dataset dict (always
        // linking the current file) cannot show.
        let mut data: Value = serde_json::from_str(&entry.data).unwrap_or(Value::Null);
        if let Some(object) = data.as_object_mut() {
            object.insert("files".to_owned(), json!([file]));
        }
        entry.data = data.to_string();
    }
    activity::record_all(conn, &[entry])
}

/// Puts an uploaded file, already in its place, into a resource row.
fn attach_upload(row: &mut ResourceRow, upload: &PlacedFile, now: &str) {
    row.url = upload.file_name.clone();
    row.url_type = UrlType::Upload;
    row.size = Some(i64::try_from(upload.size).unwrap_or(i64::MAX));
    row.hash = upload.sha256.clone();
    row.mimetype = upload.mimetype.clone();
    if row.format.is_empty() {
        row.format = format_from_name(&upload.file_name);
    }
    if row.name.is_empty() {
        row.name = upload.file_name.clone();
    }
    row.last_modified = Some(now.to_owned());
    row.storage_key = Some(upload.key.clone());
}

/// Runs a resource write with its upload (if any) placed first, and keeps the file only if
/// the write commits: a failed write (refused, invalid, or the database failing) leaves no file.
fn with_placed_upload<T>(
    ctx: &AppContext,
    (resource_id, into, format): (&str, UploadInto<'_>, &str),
    upload: Option<StagedFile>,
    write: impl FnOnce(&mut DbConnection, Option<&PlacedFile>) -> AppResult<T>,
) -> AppResult<T> {
    let placed = upload
        .map(|staged| ctx.files.place(staged, resource_id))
        .transpose()?;
    if let Some(placed) = &placed {
        prescan_if_public(ctx, placed, into, format);
    }
    let result = ctx.write(|conn| write(conn, placed.as_ref()))?;
    if let Some(placed) = placed {
        placed.keep();
    }
    Ok(result)
}

/// Where an upload goes: a new resource of a dataset, or an existing resource.
#[derive(Debug, Clone, Copy)]
enum UploadInto<'a> {
    Dataset(&'a str),
    Resource(&'a str),
}

/// When the upload goes into a public dataset, the gate will scan it inside the write: scan
/// it now, outside the write lock, so the gate finds the scan ready (`privacy::ScanCache`).
fn prescan_if_public(ctx: &AppContext, placed: &PlacedFile, into: UploadInto<'_>, format: &str) {
    let public = ctx.db.read(|conn| {
        let dataset_id = match into {
            UploadInto::Dataset(id) => id.to_owned(),
            UploadInto::Resource(id) => find_resource(conn, id)?.dataset_id,
        };
        Ok(datasets::find(conn, &dataset_id)?.is_some_and(|d| privacy::is_public(&d)))
    });
    if !public.unwrap_or(false) {
        return;
    }
    let format = if format.is_empty() {
        format_from_name(&placed.file_name)
    } else {
        format.to_owned()
    };
    if let Some(path) = ctx.files.path_of(&placed.key) {
        privacy::prescan_upload(ctx, &placed.sha256, &path, &format, &placed.mimetype);
    }
}

/// CKAN's `resource_create`, with an optional uploaded file (multipart field `upload`).
pub fn resource_create(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Value> {
    let package_id = params::required_id(dict, "package_id")?;
    let mut errors = Errors::default();
    let item = validate_item(&Value::Object(dict.clone()), "", &mut errors);
    errors.into_result()?;
    let mut item = item.ok_or_else(|| AppError::field("url", params::missing()))?;
    if upload.is_none() && item.url.is_empty() {
        return Err(AppError::field("url", FieldCode::UrlOrUpload));
    }
    let id = crate::db::new_id();
    item.id = Some(id.clone());
    let format = dict.get("format").and_then(Value::as_str).unwrap_or("");
    let into = (id.as_str(), UploadInto::Dataset(&package_id), format);
    with_placed_upload(ctx, into, upload, |conn, upload| {
        let dataset = editable_dataset(conn, actor, &package_id)?;
        let position = active_rows(conn, &dataset.id)?.len() as i32;
        let now = now_text();
        let mut row = new_row(&dataset.id, item, position, &now);
        if let Some(upload) = upload {
            attach_upload(&mut row, upload, &now);
        }
        diesel::insert_into(resources::table)
            .values(&row)
            .execute(conn)?;
        if upload.is_some() && privacy::is_public(&dataset) {
            privacy::require_clearance(ctx, conn, &dataset.id, privacy::Scope::Resource(&row.id))?;
        }
        let file = upload
            .map(|upload| files::record(conn, actor, &row.id, upload, None))
            .transpose()?;
        record_dataset_change(ctx, conn, actor, &dataset, file)?;
        Ok(resource_dict(&row, &ctx.site_url))
    })
}

/// CKAN's `resource_update` (all fields) and `resource_patch` (given fields), with an optional
/// new file.
pub fn resource_update(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    upload: Option<StagedFile>,
    patch: bool,
) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    if !crate::storage::is_safe_key_part(&id) {
        // No stored resource has such an id (start-up re-keys any that would escape the store).
        return Err(resource_not_found(&id));
    }
    let format = dict.get("format").and_then(Value::as_str).unwrap_or("");
    let into = (id.as_str(), UploadInto::Resource(&id), format);
    with_placed_upload(ctx, into, upload, |conn, upload| {
        let current = find_resource(conn, &id)?;
        let dataset = editable_dataset_of(conn, actor, &current)?;
        let mut merged = if patch {
            resource_dict(&current, &ctx.site_url)
                .as_object()
                .cloned()
                .unwrap_or_default()
        } else {
            Dict::new()
        };
        merged.extend(dict.iter().map(|(k, v)| (k.clone(), v.clone())));
        if !merged.contains_key("url") && current.url_type == UrlType::Upload {
            merged.insert("url_type".to_owned(), json!(UrlType::Upload));
        }
        let mut errors = Errors::default();
        let item = validate_item(&Value::Object(merged), "", &mut errors);
        errors.into_result()?;
        let item = item.ok_or_else(|| AppError::field("url", params::missing()))?;
        let now = now_text();
        let mut row = merged_row(current.clone(), item, current.position, &now);
        if let Some(upload) = upload {
            attach_upload(&mut row, upload, &now);
        }
        diesel::update(resources::table.find(&row.id))
            .set(&row)
            .execute(conn)?;
        if upload.is_some() && privacy::is_public(&dataset) {
            privacy::require_clearance(ctx, conn, &dataset.id, privacy::Scope::Resource(&row.id))?;
        }
        // The replaced file stays where it is (keys are never reused) and stays recorded.
        let file = upload
            .map(|upload| {
                files::record(conn, actor, &row.id, upload, current.storage_key.as_deref())
            })
            .transpose()?;
        record_dataset_change(ctx, conn, actor, &dataset, file)?;
        Ok(resource_dict(&row, &ctx.site_url))
    })
}

/// CKAN's `resource_delete`: the resource is marked deleted; its file is kept for the history.
pub fn resource_delete(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let current = find_resource(conn, &id)?;
        let dataset = editable_dataset_of(conn, actor, &current)?;
        diesel::update(resources::table.find(&current.id))
            .set(resources::state.eq(ObjectState::Deleted))
            .execute(conn)?;
        record_dataset_change(ctx, conn, actor, &dataset, None)?;
        Ok(Value::Null)
    })
}

/// CKAN's `resource_show`.
pub fn resource_show(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let row = find_resource(conn, &id)?;
        datasets::find_visible(conn, actor, &row.dataset_id)
            .map_err(|_| resource_not_found(&id))?;
        Ok(resource_dict(&row, &ctx.site_url))
    })
}

/// A stored file ready to send.
#[derive(Debug)]
pub struct Download {
    /// Where the file is.
    pub path: std::path::PathBuf,
    /// Name to offer the user.
    pub file_name: String,
    /// MIME type to send.
    pub mimetype: String,
    /// The dataset's id.
    pub dataset_id: String,
    /// The resource's id.
    pub resource_id: String,
}

/// Finds the uploaded file of a resource the actor may see.
pub fn resource_download(
    ctx: &AppContext,
    actor: &Actor,
    dataset_id: &str,
    resource_id: &str,
) -> AppResult<Download> {
    // Path segments reach here undecoded by any action: screen them as the actions' input is.
    let (dataset_key, resource_key) = (
        params::lookup_key(dataset_id),
        params::lookup_key(resource_id),
    );
    let (dataset_id, resource_id) = (dataset_key.as_str(), resource_key.as_str());
    ctx.db.read(|conn| {
        let missing = || resource_not_found(resource_id);
        let row = find_resource(conn, resource_id)?;
        let dataset =
            datasets::find_visible(conn, actor, &row.dataset_id).map_err(|_| missing())?;
        if dataset.id != dataset_id && dataset.name != dataset_id {
            return Err(missing());
        }
        let key = row.storage_key.as_deref().ok_or_else(missing)?;
        let path = ctx.files.path_of(key).ok_or_else(missing)?;
        Ok(Download {
            path,
            file_name: row.url.clone(),
            mimetype: if row.mimetype.is_empty() {
                "application/octet-stream".to_owned()
            } else {
                row.mimetype.clone()
            },
            dataset_id: dataset.id.clone(),
            resource_id: row.id.clone(),
        })
    })
}
