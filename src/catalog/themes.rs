//! The national data themes (CKAN groups) and tags.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::params::{self, Errors};
use super::vocab::{self, NATIONAL_THEMES};
use super::{AppContext, Dict};
use crate::db::models::ThemeRow;
use crate::db::schema::{dataset_themes, datasets, themes};
use crate::db::{now_text, DbConnection};
use crate::enums::{DatasetState, ObjectState};
use crate::error::{AppError, AppResult, ErrorCode};

/// Creates any of the 12 national themes that are missing (run at start-up; idempotent).
pub fn ensure_national(ctx: &AppContext) -> AppResult<()> {
    ctx.write(|conn| {
        for (name, title, title_en) in NATIONAL_THEMES {
            let exists: i64 = themes::table
                .filter(themes::name.eq(name))
                .count()
                .get_result(conn)?;
            if exists == 0 {
                diesel::insert_into(themes::table)
                    .values(&ThemeRow {
                        id: crate::db::new_id(),
                        name: (*name).to_owned(),
                        title: (*title).to_owned(),
                        title_en: Some((*title_en).to_owned()),
                        description: String::new(),
                        created: now_text(),
                    })
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}

fn public_count(conn: &mut DbConnection, theme_id: &str) -> AppResult<i64> {
    Ok(dataset_themes::table
        .inner_join(datasets::table)
        .filter(dataset_themes::theme_id.eq(theme_id))
        .filter(datasets::state.eq(DatasetState::Active))
        .filter(datasets::private.eq(false))
        .count()
        .get_result(conn)?)
}

fn theme_dict(conn: &mut DbConnection, row: &ThemeRow, with_count: bool) -> AppResult<Value> {
    let count = if with_count {
        json!(public_count(conn, &row.id)?)
    } else {
        Value::Null
    };
    Ok(json!({
        "id": row.id, "name": row.name, "title": row.title, "title_en": row.title_en,
        "display_name": row.title, "description": row.description, "type": "group",
        "is_organization": false, "state": ObjectState::Active, "approval_status": "approved",
        "created": row.created, "package_count": count,
    }))
}

/// CKAN's `group_list`.
pub fn group_list(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let mut errors = Errors::default();
    let all_fields = params::boolean(dict, "all_fields", &mut errors).unwrap_or(false);
    // CKAN's `include_dataset_count`: a count query per theme, which the pages skip (they
    // take the counts from the search's facets).
    let with_count = params::boolean(dict, "include_dataset_count", &mut errors).unwrap_or(true);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let rows: Vec<ThemeRow> = themes::table
            .order(themes::name.asc())
            .select(ThemeRow::as_select())
            .load(conn)?;
        if !all_fields {
            return Ok(json!(rows.iter().map(|r| &r.name).collect::<Vec<_>>()));
        }
        let dicts = rows
            .iter()
            .map(|r| theme_dict(conn, r, with_count))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(Value::Array(dicts))
    })
}

/// CKAN's `group_show`.
pub fn group_show(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    // CKAN's `include_dataset_count`; the pages skip it (a count query over every dataset:
    // 12 ms at 100,000 datasets on SQLite).
    let with_count = params::boolean(dict, "include_dataset_count", &mut errors).unwrap_or(true);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let row: ThemeRow = themes::table
            .filter(themes::id.eq(&id).or(themes::name.eq(&id)))
            .select(ThemeRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found(ErrorCode::GroupNotFound, &id))?;
        theme_dict(conn, &row, with_count)
    })
}

/// CKAN's `tag_list`: tags of public datasets, optionally those containing `query`.
pub fn tag_list(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let mut errors = Errors::default();
    let query = params::text(dict, "query", 100, &mut errors).unwrap_or_default();
    let all_fields = params::boolean(dict, "all_fields", &mut errors).unwrap_or(false);
    errors.into_result()?;
    let query = vocab::nfc(&query).to_lowercase();
    let mut tags: Vec<String> = super::suggest::public_tags(ctx)?
        .iter()
        .filter(|tag| tag.value.to_lowercase().contains(&query))
        .map(|tag| tag.value.clone())
        .collect();
    tags.sort_unstable();
    Ok(if all_fields {
        json!(tags
            .iter()
            .map(|t| json!({"name": t, "display_name": t}))
            .collect::<Vec<_>>())
    } else {
        json!(tags)
    })
}
