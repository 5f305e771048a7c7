//! CKAN's `package_search`: its parameters (`q`, `fq`, `fq_list` in CKAN's query syntax,
//! `sort`, `rows`, `start`, facets, `include_private`, `include_drafts`) read into an engine
//! search over the tantivy index. Result dicts come from the index, where every write stores
//! the dict it returned (as CKAN does with Solr); facet titles come from the database.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};
use tantivy::Order;

use super::access::{self, Capacity};
use super::params::{self, Errors};
use super::{query_syntax, resources, vocab, Actor, Catalog, Dict};
use crate::db::schema::{organizations, themes};
use crate::error::{AppError, AppResult};
use crate::search::engine::{Condition, Search, SortBy, Visibility};
use crate::search::facets::FacetCounts;

/// Facet fields offered, with their Vietnamese / English titles.
const FACETS: &[(&str, &str)] = &[
    ("organization", "Tổ chức / Organizations"),
    ("groups", "Chủ đề / Groups"),
    ("tags", "Thẻ / Tags"),
    ("res_format", "Định dạng / Formats"),
    ("license_id", "Giấy phép / Licenses"),
    ("frequency", "Tần suất cập nhật / Update frequency"),
];

/// The visibility of the actor's search (anonymous visitors need no database lookup).
fn visibility(
    cat: &Catalog,
    actor: &Actor,
    include_private: bool,
    include_drafts: bool,
) -> AppResult<Visibility> {
    if actor.user_id.is_none() {
        return Ok(Visibility::default());
    }
    cat.db.read(|conn| {
        Ok(Visibility {
            sysadmin: actor.sysadmin,
            include_private,
            include_drafts,
            member_orgs: access::organizations_with(conn, actor, Capacity::Member)?,
            editor_orgs: access::organizations_with(conn, actor, Capacity::Editor)?,
            user_id: actor.user_id.clone(),
        })
    })
}

/// CKAN's `package_search`.
pub fn package_search(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let mut e = Errors::default();
    let q = params::text(dict, "q", 2000, &mut e).unwrap_or_default();
    let fq = params::text(dict, "fq", 2000, &mut e).unwrap_or_default();
    let fq_list = params::list(dict, "fq_list", &mut e).unwrap_or_default();
    let rows = params::integer(dict, "rows", 1000, &mut e).unwrap_or(10);
    let start = params::integer(dict, "start", 1_000_000_000, &mut e).unwrap_or(0);
    let sort = params::text(dict, "sort", 200, &mut e).unwrap_or_default();
    let facet_fields = params::list(dict, "facet.field", &mut e).unwrap_or_default();
    let facet_limit = match dict.get("facet.limit") {
        Some(Value::Number(n)) if n.as_i64() == Some(-1) => 100_000,
        Some(Value::String(s)) if s.trim() == "-1" => 100_000,
        _ => params::integer(dict, "facet.limit", 100_000, &mut e).unwrap_or(50) as usize,
    };
    let facet_mincount = params::integer(dict, "facet.mincount", i64::MAX, &mut e).unwrap_or(1);
    let include_private = params::boolean(dict, "include_private", &mut e).unwrap_or(false);
    let include_drafts = params::boolean(dict, "include_drafts", &mut e).unwrap_or(false);
    e.into_result()?;
    let index = cat.search.as_ref().ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "package_search called without a search index"
        ))
    })?;

    let mut conditions = vec![query_syntax::parse(&q), query_syntax::parse(&fq)];
    conditions.extend(
        fq_list
            .iter()
            .filter_map(Value::as_str)
            .map(query_syntax::parse),
    );
    conditions.retain(|c| *c != Condition::All);
    let mut search = Search::new(Condition::Every(conditions));
    search.visibility = visibility(cat, actor, include_private, include_drafts)?;
    search.rows = rows as usize;
    search.start = start as usize;
    search.sort = sort_by(&sort);
    search.facets = facet_fields
        .iter()
        .filter_map(Value::as_str)
        .filter(|f| FACETS.iter().any(|(name, _)| name == f))
        .map(str::to_owned)
        .collect();
    search.facet_limit = facet_limit;
    search.facet_mincount = facet_mincount.max(1) as u64;
    let hits = index
        .search(&search)
        .map_err(|e| AppError::Internal(e.context("searching")))?;

    let mut results = hits
        .results
        .iter()
        .map(|text| {
            let mut dict = serde_json::from_str::<Value>(text)?;
            resources::rebase_upload_links(&mut dict, "", &cat.site_url);
            Ok(dict)
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("reading a stored dict")))?;
    let mut typed = String::new();
    search.condition.ranking_text(&mut typed);
    if !typed.trim().is_empty() {
        // Marked passages of the description for result lists (not a CKAN field).
        let notes: Vec<&str> = results
            .iter()
            .map(|d| d["notes"].as_str().unwrap_or(""))
            .collect();
        let snippets = index
            .snippets(&typed, &notes)
            .map_err(|e| AppError::Internal(e.context("highlighting")))?;
        for (dict, snippet) in results.iter_mut().zip(snippets) {
            dict["search_snippet"] = Value::String(snippet);
        }
    }
    let (facets, search_facets) = facet_dicts(cat, &hits.facets)?;
    Ok(json!({
        "count": hits.count,
        "results": results,
        "sort": if sort.is_empty() { "score desc, metadata_modified desc" } else { sort.as_str() },
        "facets": facets,
        "search_facets": search_facets,
    }))
}

/// CKAN's `facets` (value -> count) and `search_facets` (titled items with display names).
fn facet_dicts(cat: &Catalog, counts: &FacetCounts) -> AppResult<(Value, Value)> {
    if counts.is_empty() {
        return Ok((json!({}), json!({})));
    }
    let names = cat.db.read(|conn| display_names(conn, counts))?;
    let mut facets = serde_json::Map::new();
    let mut search_facets = serde_json::Map::new();
    for (field, items) in counts {
        facets.insert(
            field.clone(),
            Value::Object(items.iter().map(|(n, c)| (n.clone(), json!(c))).collect()),
        );
        let title = FACETS
            .iter()
            .find(|(n, _)| n == field)
            .map(|(_, t)| *t)
            .unwrap_or("");
        let items: Vec<Value> = items
            .iter()
            .map(|(n, c)| {
                let display = names.get(&(field.clone(), n.clone())).unwrap_or(n);
                json!({"name": n, "display_name": display, "count": c})
            })
            .collect();
        search_facets.insert(field.clone(), json!({"title": title, "items": items}));
    }
    Ok((Value::Object(facets), Value::Object(search_facets)))
}

/// Display names of facet values: organisation and theme titles, licence and frequency labels.
fn display_names(
    conn: &mut crate::db::DbConnection,
    facets: &FacetCounts,
) -> AppResult<HashMap<(String, String), String>> {
    let mut names = HashMap::new();
    for (field, items) in facets {
        let values: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
        let pairs: Vec<(String, String)> = match field.as_str() {
            "organization" => organizations::table
                .filter(organizations::name.eq_any(&values))
                .select((organizations::name, organizations::title))
                .load(conn)?,
            "groups" => themes::table
                .filter(themes::name.eq_any(&values))
                .select((themes::name, themes::title))
                .load(conn)?,
            "license_id" => values
                .iter()
                .filter_map(|v| vocab::license(v).map(|l| ((*v).to_owned(), l.title.to_owned())))
                .collect(),
            "frequency" => values
                .iter()
                .filter_map(|v| {
                    vocab::FREQUENCIES
                        .iter()
                        .find(|f| f.0 == *v)
                        .map(|f| ((*v).to_owned(), f.1.to_owned()))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (value, title) in pairs {
            names.insert((field.clone(), value), title);
        }
    }
    Ok(names)
}

/// CKAN's `sort` (its first key) as an engine order.
fn sort_by(sort: &str) -> SortBy {
    let first = sort.split(',').next().unwrap_or("").trim();
    let mut words = first.split_whitespace();
    let field = words.next().unwrap_or("score");
    let order = if words.next().is_some_and(|d| d.eq_ignore_ascii_case("desc")) {
        Order::Desc
    } else {
        Order::Asc
    };
    match field {
        "metadata_modified" => SortBy::Modified(order),
        "metadata_created" => SortBy::Created(order),
        "title_string" => SortBy::Title(order),
        "name" => SortBy::Name(order),
        _ => SortBy::Score,
    }
}
