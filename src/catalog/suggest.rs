//! Suggestions for the search box: datasets by title (CKAN's `package_autocomplete`), tags
//! and organisations, public ones only.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::params::{self, Errors};
use super::{vocab, AppContext, Dict};
use crate::db::schema::organizations;
use crate::enums::ObjectState;
use crate::error::{AppError, AppResult};
use crate::search::analyzer;
use crate::search::engine::KeywordValue;

fn typed_and_limit(dict: &Dict, key: &str) -> AppResult<(String, i64)> {
    let mut e = Errors::default();
    let typed = params::text(dict, key, 200, &mut e).unwrap_or_default();
    let limit = params::integer(dict, "limit", 100, &mut e).unwrap_or(10);
    e.into_result()?;
    Ok((typed, limit))
}

/// CKAN's `package_autocomplete`: `[{name, title, match_field, match_displayed}]`.
pub fn package_autocomplete(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let (typed, limit) = typed_and_limit(dict, "q")?;
    let index = super::indexing::ready_index(ctx, "package_autocomplete")?;
    let found = index
        .suggest(&typed, limit as usize)
        .map_err(|e| AppError::Internal(e.context("suggesting datasets")))?;
    let mut out = Vec::with_capacity(found.len());
    for text in &found {
        let dataset: Suggested = serde_json::from_str(text).map_err(|e| {
            AppError::Internal(anyhow::Error::new(e).context("reading a stored dict"))
        })?;
        out.push(json!({
            "name": dataset.name, "title": dataset.title,
            "match_field": "title", "match_displayed": dataset.title,
        }));
    }
    Ok(Value::Array(out))
}

/// The fields of a stored dict a suggestion shows.
#[derive(serde::Deserialize)]
struct Suggested<'a> {
    #[serde(borrow)]
    name: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    title: std::borrow::Cow<'a, str>,
}

/// Whether `candidate` contains what was typed, accents and case aside.
fn folded_contains(candidate: &str, typed_folded: &str) -> bool {
    analyzer::terms(&mut analyzer::folded(), candidate)
        .join(" ")
        .contains(typed_folded)
}

/// CKAN's `tag_autocomplete`: tags of public datasets containing what was typed (accents
/// aside, unless typed), those starting with it first, then the most used.
pub fn tag_autocomplete(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let (typed, limit) = typed_and_limit(dict, "query")?;
    let typed = vocab::nfc(typed.trim()).to_lowercase();
    let folded = analyzer::terms(&mut analyzer::folded(), &typed).join(" ");
    if folded.is_empty() {
        return Ok(json!([]));
    }
    let values = public_tags(ctx)?;
    let mut found: Vec<_> = values
        .iter()
        .filter(|tag| tag.folded.contains(&folded))
        // Accents typed are meant: "đất" does not suggest "đạt chuẩn".
        .filter(|tag| typed.is_ascii() || tag.value.to_lowercase().contains(&typed))
        .collect();
    // Stable: most used first within each group.
    found.sort_by_key(|tag| !tag.folded.starts_with(&folded));
    Ok(json!(found
        .into_iter()
        .take(limit as usize)
        .map(|tag| tag.value.as_str())
        .collect::<Vec<_>>()))
}

/// Tags of public datasets, from the search index, most used first.
pub fn public_tags(ctx: &AppContext) -> AppResult<std::sync::Arc<Vec<KeywordValue>>> {
    super::indexing::ready_index(ctx, "tag lookup")?
        .public_values("tags")
        .map_err(|e| AppError::Internal(e.context("reading public tags")))
}

/// Organisations whose name or title contains what was typed (accents aside).
pub fn organization_autocomplete(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let (typed, limit) = typed_and_limit(dict, "q")?;
    let folded = analyzer::terms(&mut analyzer::folded(), &typed).join(" ");
    ctx.db.read(|conn| {
        let rows: Vec<(String, String, String)> = organizations::table
            .filter(organizations::state.eq(ObjectState::Active))
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
