//! Suggestions for the search box: datasets by title (CKAN's `package_autocomplete`), tags
//! and organisations, public ones only.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::params::{self, Errors};
use super::themes::public_tags;
use super::{vocab, Catalog, Dict};
use crate::db::schema::{datasets, organizations};
use crate::error::{AppError, AppResult};
use crate::search::analyzer;

fn typed_and_limit(dict: &Dict, key: &str) -> AppResult<(String, i64)> {
    let mut e = Errors::default();
    let typed = params::text(dict, key, 200, &mut e).unwrap_or_default();
    let limit = params::integer(dict, "limit", 100, &mut e).unwrap_or(10);
    e.into_result()?;
    Ok((typed, limit))
}

/// CKAN's `package_autocomplete`: `[{name, title, match_field, match_displayed}]`.
pub fn package_autocomplete(cat: &Catalog, dict: &Dict) -> AppResult<Value> {
    let (typed, limit) = typed_and_limit(dict, "q")?;
    let index = cat.search.as_ref().ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "package_autocomplete called without a search index"
        ))
    })?;
    let ids = index
        .suggest(&typed, limit as usize)
        .map_err(|e| AppError::Internal(e.context("suggesting datasets")))?;
    cat.db.read(|conn| {
        let rows: Vec<(String, String, String)> = datasets::table
            .filter(datasets::id.eq_any(&ids))
            .select((datasets::id, datasets::name, datasets::title))
            .load(conn)?;
        Ok(Value::Array(
            ids.iter()
                .filter_map(|id| rows.iter().find(|r| &r.0 == id))
                .map(|(_, name, title)| {
                    json!({"name": name, "title": title, "match_field": "title", "match_displayed": title})
                })
                .collect(),
        ))
    })
}

/// Whether `candidate` contains what was typed, accents and case aside.
fn folded_contains(candidate: &str, typed_folded: &str) -> bool {
    analyzer::terms(&mut analyzer::folded(), candidate)
        .join(" ")
        .contains(typed_folded)
}

/// CKAN's `tag_autocomplete`: tags of public datasets containing what was typed.
pub fn tag_autocomplete(cat: &Catalog, dict: &Dict) -> AppResult<Value> {
    let (typed, limit) = typed_and_limit(dict, "query")?;
    let typed = vocab::nfc(typed.trim());
    let folded = analyzer::terms(&mut analyzer::folded(), &typed).join(" ");
    if folded.is_empty() {
        return Ok(json!([]));
    }
    cat.db.read(|conn| {
        // Accented input narrows in SQL; unaccented input is matched folded in Rust.
        let tags = public_tags(conn, if typed.is_ascii() { None } else { Some(&typed) })?;
        Ok(json!(tags
            .into_iter()
            .filter(|t| folded_contains(t, &folded))
            .take(limit as usize)
            .collect::<Vec<_>>()))
    })
}

/// Organisations whose name or title contains what was typed (accents aside).
pub fn organization_autocomplete(cat: &Catalog, dict: &Dict) -> AppResult<Value> {
    let (typed, limit) = typed_and_limit(dict, "q")?;
    let folded = analyzer::terms(&mut analyzer::folded(), &typed).join(" ");
    cat.db.read(|conn| {
        let rows: Vec<(String, String, String)> = organizations::table
            .filter(organizations::state.eq("active"))
            .order(organizations::name.asc())
            .select((organizations::id, organizations::name, organizations::title))
            .load(conn)?;
        Ok(Value::Array(
            rows.into_iter()
                .filter(|(_, name, title)| {
                    folded.is_empty()
                        || name.contains(&folded.replace(' ', "-"))
                        || folded_contains(title, &folded)
                })
                .take(limit as usize)
                .map(|(id, name, title)| json!({"id": id, "name": name, "title": title}))
                .collect(),
        ))
    })
}
