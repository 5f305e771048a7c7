//! Every file uploaded to a resource, kept: replacing a resource's file stores the new one
//! beside the old (storage keys are never reused), and this table remembers both, so that the
//! dataset's history can offer each version for download (Decree 47/2020 art. 18: data kept as
//! published). The current file is the resource's `storage_key`; older ones are only here.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::actions::Download;
use crate::catalog::params;
use crate::catalog::{datasets, Actor, AppContext};
use crate::db::schema::resource_files;
use crate::db::{now_text, DbConnection};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::storage::PlacedFile;

/// One stored file of a resource.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = resource_files, treat_none_as_null = true)]
pub struct ResourceFileRow {
    /// Its own id (a resource's first file, stored before this table, has the resource's id).
    pub id: String,
    /// The resource it was uploaded to.
    pub resource_id: String,
    /// Its place in the file store.
    pub storage_key: String,
    /// The uploader's file name, made safe.
    pub file_name: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// MIME type sniffed from the content.
    pub mimetype: String,
    /// When it was uploaded.
    pub created: String,
    /// Who uploaded it.
    pub user_id: Option<String>,
}

/// A file as the history links it: which resource, which version, its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// The file's id (the `{file}` of its download path).
    pub id: String,
    /// Its name.
    pub file_name: String,
    /// Size in bytes.
    pub size: i64,
}

/// What one resource write did to a resource's file, recorded in the dataset's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    /// The resource.
    pub resource_id: String,
    /// The file uploaded by the write.
    pub new: FileRef,
    /// The file it replaced, if the resource had one.
    pub old: Option<FileRef>,
}

impl ResourceFileRow {
    fn as_ref(&self) -> FileRef {
        FileRef {
            id: self.id.clone(),
            file_name: self.file_name.clone(),
            size: self.size,
        }
    }
}

/// Records a file just placed for `resource_id`, in the write's transaction; with the file it
/// replaces (the one at `old_key`, if any).
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    resource_id: &str,
    placed: &PlacedFile,
    old_key: Option<&str>,
) -> AppResult<FileChange> {
    let row = ResourceFileRow {
        id: crate::db::new_id(),
        resource_id: resource_id.to_owned(),
        storage_key: placed.key.clone(),
        file_name: placed.file_name.clone(),
        size: i64::try_from(placed.size).unwrap_or(i64::MAX),
        sha256: placed.sha256.clone(),
        mimetype: placed.mimetype.clone(),
        created: now_text(),
        user_id: actor.user_id.clone(),
    };
    diesel::insert_into(resource_files::table)
        .values(&row)
        .execute(conn)?;
    let old = match old_key {
        Some(key) => resource_files::table
            .filter(resource_files::resource_id.eq(resource_id))
            .filter(resource_files::storage_key.eq(key))
            .select(ResourceFileRow::as_select())
            .first(conn)
            .optional()?
            .map(|r| r.as_ref()),
        None => None,
    };
    Ok(FileChange {
        resource_id: resource_id.to_owned(),
        new: row.as_ref(),
        old,
    })
}

/// The storage keys of every recorded file (the file store's sweep keeps them).
pub fn all_keys(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    Ok(resource_files::table
        .select(resource_files::storage_key)
        .load(conn)?)
}

/// Finds one recorded file of a resource of a dataset the actor may see, current or replaced,
/// for the history's download links. A resource deleted since keeps its files downloadable
/// there, as its history is.
pub fn file_download(
    ctx: &AppContext,
    actor: &Actor,
    dataset_id: &str,
    resource_id: &str,
    file_id: &str,
) -> AppResult<Download> {
    let (dataset_key, resource_key, file_key) = (
        params::lookup_key(dataset_id),
        params::lookup_key(resource_id),
        params::lookup_key(file_id),
    );
    ctx.db.read(|conn| {
        let missing = || AppError::not_found(ErrorCode::ResourceNotFound, &resource_key);
        let file: ResourceFileRow = resource_files::table
            .filter(resource_files::id.eq(&file_key))
            .filter(resource_files::resource_id.eq(&resource_key))
            .select(ResourceFileRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(missing)?;
        let owner: String = crate::db::schema::resources::table
            .find(&file.resource_id)
            .select(crate::db::schema::resources::dataset_id)
            .first(conn)?;
        let dataset = datasets::find_visible(conn, actor, &owner).map_err(|_| missing())?;
        if dataset.id != dataset_key && dataset.name != dataset_key {
            return Err(missing());
        }
        let path = ctx.files.path_of(&file.storage_key).ok_or_else(missing)?;
        Ok(Download {
            path,
            file_name: file.file_name,
            mimetype: if file.mimetype.is_empty() {
                "application/octet-stream".to_owned()
            } else {
                file.mimetype
            },
            dataset_id: dataset.id,
            resource_id: file.resource_id,
        })
    })
}
