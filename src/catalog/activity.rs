//! The change history: every create, update and delete of a dataset, resource or organisation
//! is recorded with who, when, which fields changed and the whole object after the change, so
//! that an older state can be shown later.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::Actor;
use crate::db::models::ActivityRow;
use crate::db::schema::activities;
use crate::db::{now_text, DbConnection};
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

/// Records one change. `object` is the whole object after the change.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    object_type: &str,
    object_id: &str,
    activity_type: &str,
    changes: Vec<String>,
    object: &Value,
) -> AppResult<()> {
    let row = ActivityRow {
        id: crate::db::new_id(),
        object_type: object_type.to_owned(),
        object_id: object_id.to_owned(),
        activity_type: activity_type.to_owned(),
        user_id: actor.user_id.clone(),
        created: now_text(),
        data: json!({ "changes": changes, object_type: object }).to_string(),
    };
    diesel::insert_into(activities::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// The newest changes of one object, newest first, as CKAN activity dicts.
pub fn list_for(conn: &mut DbConnection, object_id: &str, limit: i64) -> AppResult<Vec<Value>> {
    let rows: Vec<ActivityRow> = activities::table
        .filter(activities::object_id.eq(object_id))
        .order((activities::created.desc(), activities::id.desc()))
        .limit(limit)
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
