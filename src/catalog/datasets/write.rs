//! Creating, updating and deleting datasets. Every change runs in one transaction, takes the
//! dataset's row lock first (so concurrent updates of one dataset queue instead of losing each
//! other's changes), and is recorded in the activity history.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::store::{store_all, Current, DatasetWrite, Timestamps};
use super::validate::{validate, ValidDataset, NAME_TAKEN};
use super::{dicts_for, find, not_found};
use crate::catalog::params;
use crate::catalog::{access, activity, changes, privacy, Actor, AppContext, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::datasets;
use crate::db::{now_text, DbConnection};
use crate::enums::{ActivityType, DatasetState, ObjectType};
use crate::error::{AppError, AppResult, Forbidden};

/// CKAN's `package_create`.
pub fn package_create(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    if !actor.is_authenticated() {
        return Err(AppError::forbidden(Forbidden::CreateDatasetsAnonymously));
    }
    ctx.write(|conn| {
        require_edit_of_named_owner(conn, actor, dict)?;
        let valid = validate(conn, dict, None)?;
        access::require_dataset_edit(conn, actor, &valid.row.owner_org)?;
        let (id, public) = (valid.row.id.clone(), privacy::is_public(&valid.row));
        let stored = store_one(conn, actor, valid, None, &ctx.site_url)?;
        if public {
            privacy::require_clearance(ctx, conn, &id, privacy::Scope::Dataset)?;
        }
        Ok(stored)
    })
}

/// Authorises before validating: validation says whether a name is taken, which would tell an
/// outsider that a private, draft or deleted dataset of that name exists. When the named
/// organisation does not exist there is no one to authorise against: every field is still
/// reported, but not whether the name is taken.
fn require_edit_of_named_owner(
    conn: &mut DbConnection,
    actor: &Actor,
    dict: &Dict,
) -> AppResult<()> {
    let owner = dict.get("owner_org").and_then(Value::as_str).unwrap_or("");
    if let Some(org) = crate::catalog::organizations::find(conn, owner.trim())? {
        return access::require_dataset_edit(conn, actor, &org.id);
    }
    match validate(conn, dict, None) {
        Err(AppError::Validation(mut fields)) => {
            if let Some(messages) = fields.get_mut("name") {
                messages.retain(|m| m.code != NAME_TAKEN);
                if messages.is_empty() {
                    fields.remove("name");
                }
            }
            Err(AppError::Validation(fields))
        }
        Err(other) => Err(other),
        Ok(_) => Err(AppError::field("owner_org", params::missing())),
    }
}

/// Stores one validated dataset (new, or a change of `current`) through the same door as a
/// bulk import; returns its dict.
fn store_one(
    conn: &mut DbConnection,
    actor: &Actor,
    valid: ValidDataset,
    current: Option<Current>,
    site_url: &str,
) -> AppResult<Value> {
    let write = DatasetWrite {
        valid,
        times: Timestamps::default(),
        current,
    };
    Ok(store_all(conn, actor, vec![write], site_url)?
        .pop()
        .unwrap_or(Value::Null))
}

/// CKAN's `package_update` (the dict replaces the dataset; resources are kept when the dict
/// has no `resources` key) and `package_patch` (only the given keys change).
pub fn package_update(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    patch: bool,
) -> AppResult<Value> {
    let id = dict
        .get("id")
        .or_else(|| dict.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| AppError::field("id", params::missing()))?;
    if may_publish(dict, patch) {
        // Its files are scanned now, outside the write lock, so the gate inside the write
        // finds the scans ready (a no-op for a dataset already public or without tabular
        // uploads).
        privacy::prescan_dataset(ctx, &id);
    }
    ctx.write(|conn| {
        let current = lock(conn, actor, &id)?;
        access::require_dataset_edit(conn, actor, &current.owner_org)?;
        let before = one_dict(conn, &current, &ctx.site_url)?;
        let mut merged = if patch {
            before.as_object().cloned().unwrap_or_default()
        } else {
            Dict::new()
        };
        if patch && dict.contains_key("resources") {
            merged.remove("resources");
        }
        merged.extend(dict.iter().map(|(k, v)| (k.clone(), v.clone())));
        if !merged.contains_key("name") {
            merged.insert("name".to_owned(), json!(current.name));
        }
        if !merged.contains_key("owner_org") {
            merged.insert("owner_org".to_owned(), json!(current.owner_org));
        }
        let valid = validate(conn, &merged, Some(&current.id))?;
        if valid.row.owner_org != current.owner_org {
            access::require_dataset_edit(conn, actor, &valid.row.owner_org)?;
        }
        let (id, becomes_public) = (
            current.id.clone(),
            privacy::is_public(&valid.row) && !privacy::is_public(&current),
        );
        let stored = store_one(
            conn,
            actor,
            valid,
            Some(Current {
                row: current,
                before,
            }),
            &ctx.site_url,
        )?;
        if becomes_public {
            // Checked on what was just stored, inside the transaction: a refusal rolls it all
            // back, and the files checked are exactly those the dataset now has.
            privacy::require_clearance(ctx, conn, &id, privacy::Scope::Dataset)?;
        }
        Ok(stored)
    })
}

/// Whether an update could make a private or draft dataset public: a patch only through
/// `private` or `state`; a dict that keeps it private or not active never does.
fn may_publish(dict: &Dict, patch: bool) -> bool {
    let stays_private = match dict.get("private") {
        Some(Value::Bool(private)) => *private,
        Some(Value::String(text)) => text.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let inactive = dict
        .get("state")
        .and_then(Value::as_str)
        .is_some_and(|state| state != "active");
    let touches = !patch || dict.contains_key("private") || dict.contains_key("state");
    touches && !stays_private && !inactive
}

/// Bumps the dataset's revision, which takes its row lock on PostgreSQL, then reads it fresh.
fn lock(conn: &mut DbConnection, actor: &Actor, id: &str) -> AppResult<DatasetRow> {
    diesel::update(datasets::table.filter(datasets::id.eq(id).or(datasets::name.eq(id))))
        .set(datasets::revision.eq(datasets::revision + 1))
        .execute(conn)?;
    match find(conn, id)? {
        Some(row) if access::can_read_dataset(conn, actor, &row)? => Ok(row),
        _ => Err(not_found(id)),
    }
}

/// CKAN's `package_delete`: the dataset is marked deleted (kept, with its files and history).
pub fn package_delete(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let current = lock(conn, actor, &id)?;
        access::require_dataset_edit(conn, actor, &current.owner_org)?;
        let now = now_text();
        diesel::update(datasets::table.find(&current.id))
            .set((
                datasets::state.eq(DatasetState::Deleted),
                datasets::metadata_modified.eq(&now),
            ))
            .execute(conn)?;
        let row = DatasetRow {
            state: DatasetState::Deleted,
            metadata_modified: now,
            ..current
        };
        let after = one_dict(conn, &row, &ctx.site_url)?;
        activity::record(
            conn,
            actor,
            ObjectType::Package,
            &row.id,
            ActivityType::Deleted,
            vec!["state".to_owned()],
            &after,
        )?;
        changes::record(conn, &row.id)?;
        Ok(Value::Null)
    })
}

/// Touches a dataset after one of its resources changed.
pub fn touch(conn: &mut DbConnection, dataset_id: &str) -> AppResult<()> {
    diesel::update(datasets::table.find(dataset_id))
        .set((
            datasets::metadata_modified.eq(now_text()),
            datasets::revision.eq(datasets::revision + 1),
        ))
        .execute(conn)?;
    changes::record(conn, dataset_id)?;
    Ok(())
}

fn one_dict(conn: &mut DbConnection, row: &DatasetRow, site_url: &str) -> AppResult<Value> {
    Ok(dicts_for(conn, std::slice::from_ref(row), site_url)?
        .pop()
        .unwrap_or(Value::Null))
}
