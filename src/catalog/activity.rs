//! The change history: every create, update and delete of a dataset, resource or organisation
//! is recorded with who, when, which fields changed and the whole object after the change, so
//! that an older state can be shown later.

use diesel::prelude::*;
use serde_json::{json, Value};

use std::collections::HashSet;

use super::access::{self, Capacity};
use super::Actor;
use crate::db::models::ActivityRow;
use crate::db::schema::activities;
use crate::db::{now_text, DbConnection};
use crate::enums::{ActivityType, DatasetState, ObjectType};
use crate::error::AppResult;

/// Top-level keys whose values differ between two versions of an object.
pub fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| *k != "metadata_modified" && *k != "modified")
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Who may read a change of this object, as space-separated labels: the object's visibility
/// at the time of the change (a dataset's history must not show anyone what it held while it
/// was private or a draft). Mirrors `access::can_read_dataset`; the migration
/// `2026-11-30-000001_activity_permission_labels` labels older rows the same way.
fn permission_labels(
    object_type: ObjectType,
    object_id: &str,
    changes: &[String],
    object: &Value,
) -> String {
    let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or_default();
    match object_type {
        ObjectType::Package => {
            let org = text("owner_org");
            match text("state").parse::<DatasetState>() {
                Ok(DatasetState::Active) if object.get("private") == Some(&Value::Bool(false)) => {
                    "public".to_owned()
                }
                Ok(DatasetState::Active) => format!("member:{org}"),
                Ok(DatasetState::Draft) => match text("creator_user_id") {
                    "" => format!("editor:{org}"),
                    creator => format!("editor:{org} creator:{creator}"),
                },
                _ => format!("editor:{org}"),
            }
        }
        // An account's history is for the account holder (and sysadmins).
        ObjectType::User => format!("creator:{object_id}"),
        _ if changes == ["members"] => format!("member:{object_id}"),
        _ => "public".to_owned(),
    }
}

/// The labels of changes an actor may read; `None` means every change (sysadmins).
pub fn labels_of(conn: &mut DbConnection, actor: &Actor) -> AppResult<Option<HashSet<String>>> {
    if actor.sysadmin {
        return Ok(None);
    }
    let mut labels = HashSet::from(["public".to_owned()]);
    if let Some(user_id) = &actor.user_id {
        labels.insert(format!("creator:{user_id}"));
        for (org, capacity) in access::memberships_of(conn, actor)? {
            if capacity >= Capacity::Editor {
                labels.insert(format!("editor:{org}"));
            }
            labels.insert(format!("member:{org}"));
        }
    }
    Ok(Some(labels))
}

/// Records one change. `object` is the whole object after the change.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    object_type: ObjectType,
    object_id: &str,
    activity_type: ActivityType,
    changes: Vec<String>,
    object: &Value,
) -> AppResult<()> {
    let row = entry(
        actor,
        object_type,
        object_id,
        activity_type,
        changes,
        object,
    );
    record_all(conn, &[row])
}

/// The record of one change, to store with [`record_all`].
pub fn entry(
    actor: &Actor,
    object_type: ObjectType,
    object_id: &str,
    activity_type: ActivityType,
    changes: Vec<String>,
    object: &Value,
) -> ActivityRow {
    ActivityRow {
        id: crate::db::new_id(),
        object_type,
        object_id: object_id.to_owned(),
        activity_type,
        user_id: actor.user_id.clone(),
        created: now_text(),
        permission_labels: permission_labels(object_type, object_id, &changes, object),
        data: json!({ "changes": changes, object_type.as_str(): object }).to_string(),
    }
}

/// Stores recorded changes with multi-row statements.
pub fn record_all(conn: &mut DbConnection, rows: &[ActivityRow]) -> AppResult<()> {
    for chunk in rows.chunks(crate::db::rows_per_statement(ActivityRow::COLUMNS)) {
        crate::db::insert_rows!(conn, activities::table, chunk)?;
    }
    Ok(())
}

/// The newest changes of one object that a reader with `labels` may see (`None`: all),
/// newest first, as CKAN activity dicts.
pub fn list_for(
    conn: &mut DbConnection,
    object_id: &str,
    labels: Option<&HashSet<String>>,
    limit: i64,
) -> AppResult<Vec<Value>> {
    // Labels first, bodies only of the changes shown: an object's history is short next to
    // the dicts it holds.
    let all: Vec<(String, String)> = activities::table
        .filter(activities::object_id.eq(object_id))
        .order((activities::created.desc(), activities::id.desc()))
        .select((activities::id, activities::permission_labels))
        .load(conn)?;
    let shown: Vec<String> = all
        .into_iter()
        .filter(|(_, row_labels)| {
            labels.is_none_or(|mine| row_labels.split(' ').any(|label| mine.contains(label)))
        })
        .map(|(id, _)| id)
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    let rows: Vec<ActivityRow> = activities::table
        .filter(activities::id.eq_any(&shown))
        .order((activities::created.desc(), activities::id.desc()))
        .select(ActivityRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let data: Value = serde_json::from_str(&row.data).unwrap_or(Value::Null);
            json!({
                "id": row.id,
                "object_id": row.object_id,
                "object_type": row.object_type,
                "activity_type": format!("{} {}", row.activity_type, row.object_type),
                "user_id": row.user_id,
                "timestamp": row.created,
                "data": data,
            })
        })
        .collect())
}
