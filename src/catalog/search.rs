//! CKAN's `package_search`: its parameters (`q`, `fq`, `fq_list` in CKAN's query syntax,
//! `sort`, `rows`, `start`, facets, `include_private`, `include_drafts`) read into an engine
//! search over the tantivy index. Result dicts come from the index, where every write stores
//! the dict it returned (as CKAN does with Solr); facet titles come from the database.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::access::{self, Capacity};
use super::params::{self, Errors};
use super::{query_syntax, resources, vocab, Actor, Catalog, Dict};
use crate::db::schema::{organizations, themes};
use crate::error::{AppError, AppResult};
use crate::search::engine::{Condition, Hits, Search, SearchIndex, SortBy, SortField, Visibility};
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
    let memberships = cat.db.read(|conn| access::memberships_of(conn, actor))?;
    let orgs_with = |at_least: Capacity| -> Vec<String> {
        memberships
            .iter()
            .filter(|(_, capacity)| *capacity >= at_least)
            .map(|(org, _)| org.clone())
            .collect()
    };
    Ok(Visibility {
        sysadmin: actor.sysadmin,
        include_private,
        include_drafts,
        member_orgs: orgs_with(Capacity::Member),
        editor_orgs: orgs_with(Capacity::Editor),
        user_id: actor.user_id.clone(),
    })
}

/// CKAN's `package_search`, its result object as JSON text: pages are kept encoded in the
/// index's result cache and sent as they are.
pub fn package_search_encoded(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Arc<str>> {
    let mut e = Errors::default();
    let q = params::text(dict, "q", 2000, &mut e).unwrap_or_default();
    let fq = params::text(dict, "fq", 2000, &mut e).unwrap_or_default();
    let fq_list = params::list(dict, "fq_list", &mut e).unwrap_or_default();
    let rows = params::integer(dict, "rows", 1000, &mut e).unwrap_or(10);
    let start = params::integer(dict, "start", 1_000_000_000, &mut e).unwrap_or(0);
    let sort = params::text(dict, "sort", 200, &mut e).unwrap_or_default();
    let sort_keys = sort_by(&sort, &mut e);
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
    search.sort = sort_keys;
    search.facets = facet_fields
        .iter()
        .filter_map(Value::as_str)
        .filter(|f| FACETS.iter().any(|(name, _)| name == f))
        .map(str::to_owned)
        .collect();
    search.facet_limit = facet_limit;
    search.facet_mincount = facet_mincount.max(1) as u64;
    let echo = if sort.is_empty() {
        "score desc, metadata_modified desc"
    } else {
        sort.as_str()
    };
    index.search_cached(&search, echo, |hits| {
        encode_page(cat, index, &search, echo, hits)
    })
}

/// CKAN's `package_search` as a JSON value (for callers inside the portal).
pub fn package_search(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let text = package_search_encoded(cat, actor, dict)?;
    serde_json::from_str(&text)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("reading a search page")))
}

/// The `notes` of a stored dict, read without building the whole dict.
#[derive(serde::Deserialize)]
struct Notes<'a> {
    #[serde(borrow, default)]
    notes: Option<std::borrow::Cow<'a, str>>,
}

/// The result object of a search page as JSON text. Stored dicts are copied as they are
/// (parsed only to put the site URL into upload links), with the highlighted passage of
/// the description added as `search_snippet` (not a CKAN field) when text was searched.
fn encode_page(
    cat: &Catalog,
    index: &SearchIndex,
    search: &Search,
    echo: &str,
    hits: &Hits,
) -> AppResult<String> {
    let internal = |e: serde_json::Error| {
        AppError::Internal(anyhow::Error::new(e).context("encoding a search page"))
    };
    let mut dicts: Vec<std::borrow::Cow<str>> = Vec::with_capacity(hits.results.len());
    for text in &hits.results {
        if text.contains(r#""url_type":"upload""#) {
            let mut dict: Value = serde_json::from_str(text).map_err(internal)?;
            resources::rebase_upload_links(&mut dict, "", &cat.site_url);
            dicts.push(dict.to_string().into());
        } else {
            dicts.push(text.as_str().into());
        }
    }
    let mut typed = String::new();
    search.condition.ranking_text(&mut typed);
    let snippets = if typed.trim().is_empty() || dicts.is_empty() {
        None
    } else {
        let notes: Vec<Notes> = dicts
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<Result<_, _>>()
            .map_err(internal)?;
        let notes: Vec<&str> = notes
            .iter()
            .map(|n| n.notes.as_deref().unwrap_or(""))
            .collect();
        Some(
            index
                .snippets(&typed, &notes)
                .map_err(|e| AppError::Internal(e.context("highlighting")))?,
        )
    };
    let (facets, search_facets) = facet_dicts(cat, &hits.facets)?;
    let size: usize = dicts.iter().map(|d| d.len() + 300).sum();
    let mut out = String::with_capacity(size + 2000);
    out.push_str(&format!(r#"{{"count":{},"results":["#, hits.count));
    for (i, dict) in dicts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match snippets.as_ref().and_then(|s| s.get(i)) {
            // A stored dict is a JSON object: the snippet goes in before its closing brace.
            Some(snippet) if dict.ends_with('}') => {
                out.push_str(&dict[..dict.len() - 1]);
                out.push_str(r#","search_snippet":"#);
                out.push_str(&serde_json::to_string(snippet).map_err(internal)?);
                out.push('}');
            }
            _ => out.push_str(dict),
        }
    }
    out.push_str(r#"],"sort":"#);
    out.push_str(&serde_json::to_string(echo).map_err(internal)?);
    out.push_str(r#","facets":"#);
    out.push_str(&facets.to_string());
    out.push_str(r#","search_facets":"#);
    out.push_str(&search_facets.to_string());
    out.push('}');
    Ok(out)
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

/// CKAN's `sort`: comma-separated `field [asc|desc]` keys over `score`, `metadata_modified`,
/// `metadata_created`, `title_string` and `name` (ascending when no direction is given, as
/// Solr). Anything else is named in `errors`.
fn sort_by(sort: &str, errors: &mut Errors) -> SortBy {
    let mut keys = Vec::new();
    for key in sort.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        let mut words = key.split_whitespace();
        let field = match words.next().unwrap_or_default() {
            "score" => SortField::Score,
            "metadata_modified" => SortField::Modified,
            "metadata_created" => SortField::Created,
            "title_string" => SortField::Title,
            "name" => SortField::Name,
            other => {
                errors.add(
                    "sort",
                    format!(
                        "Không sắp xếp được theo \"{other}\"; dùng score, metadata_modified, \
                         metadata_created, title_string hoặc name / Cannot sort by \"{other}\"; \
                         use score, metadata_modified, metadata_created, title_string or name"
                    ),
                );
                continue;
            }
        };
        let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                errors.add(
                    "sort",
                    format!(
                        "Chiều sắp xếp \"{other}\" không hợp lệ; dùng asc hoặc desc / \
                         Sort direction \"{other}\" is invalid; use asc or desc"
                    ),
                );
                false
            }
        };
        keys.push((field, descending));
    }
    SortBy(keys)
}
