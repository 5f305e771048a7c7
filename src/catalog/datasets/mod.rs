//! Datasets: reading (`package_show`, `package_list`, ...) here, changes in `write`.

mod dict;
pub mod fields;
pub mod freshness;
pub mod input;
pub mod resources;
pub mod store;
pub mod validate;
pub mod view;
pub mod write;

use diesel::prelude::*;
use serde_json::{json, Value};

pub use dict::dicts_for;
pub use dict::views_for;
pub use input::DatasetInput;
pub use store::{store_all, Current, DatasetWrite, Timestamps};
use view::DatasetView;
pub use write::{package_create, package_delete, package_update};

use super::params::{self, Errors};
use super::{access, activity, Actor, AppContext, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::datasets;
use crate::db::DbConnection;
use crate::enums::DatasetState;
use crate::error::{AppError, AppResult, ErrorCode};

/// Finds a dataset by id or name, in any state.
pub fn find(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<DatasetRow>> {
    Ok(datasets::table
        .filter(
            datasets::id
                .eq(id_or_name)
                .or(datasets::name.eq(id_or_name)),
        )
        .select(DatasetRow::as_select())
        .first(conn)
        .optional()?)
}

/// Finds a dataset the actor may see; others get the same 404 as a missing one, so private
/// datasets do not reveal that they exist.
pub fn find_visible(
    conn: &mut DbConnection,
    actor: &Actor,
    id_or_name: &str,
) -> AppResult<DatasetRow> {
    match find(conn, id_or_name)? {
        Some(row) if access::can_read_dataset(conn, actor, &row)? => Ok(row),
        _ => Err(not_found(id_or_name)),
    }
}

/// The 404 for a dataset.
pub fn not_found(id: &str) -> AppError {
    AppError::not_found(ErrorCode::DatasetNotFound, id)
}

/// CKAN's `package_show`.
pub fn package_show(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<DatasetView> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let row = find_visible(conn, actor, &id)?;
        dict::views_for(conn, std::slice::from_ref(&row))?
            .pop()
            .ok_or_else(|| not_found(&id))
    })
}

/// CKAN's `package_list`: names of public active datasets.
pub fn package_list(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 1_000_000, &mut errors);
    let offset = params::integer(dict, "offset", i64::MAX, &mut errors).unwrap_or(0);
    errors.into_result()?;
    ctx.db.read(|conn| {
        // SQLite accepts OFFSET only after a LIMIT, so "no limit" is the largest one.
        let names: Vec<String> = datasets::table
            .filter(datasets::state.eq(DatasetState::Active))
            .filter(datasets::private.eq(false))
            .order(datasets::name.asc())
            .select(datasets::name)
            .limit(limit.unwrap_or(i64::MAX))
            .offset(offset)
            .load(conn)?;
        Ok(json!(names))
    })
}

/// CKAN's `current_package_list_with_resources`: newest public datasets, whole dicts.
pub fn current_package_list_with_resources(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(100);
    let offset = params::integer(dict, "offset", i64::MAX, &mut errors).unwrap_or(0);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let rows: Vec<DatasetRow> = datasets::table
            .filter(datasets::state.eq(DatasetState::Active))
            .filter(datasets::private.eq(false))
            .order((datasets::metadata_modified.desc(), datasets::id))
            .limit(limit)
            .offset(offset)
            .select(DatasetRow::as_select())
            .load(conn)?;
        Ok(Value::Array(dicts_for(conn, &rows, &ctx.site_url)?))
    })
}

/// CKAN's `package_activity_list`: the dataset's recorded changes, newest first.
pub fn package_activity_list(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(31);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let row = find_visible(conn, actor, &id)?;
        let labels = activity::labels_of(conn, actor)?;
        Ok(Value::Array(activity::list_for(
            conn,
            &row.id,
            labels.as_ref(),
            limit,
        )?))
    })
}
