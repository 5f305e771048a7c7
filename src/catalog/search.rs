//! CKAN's `package_search`: its parameters (`q`, `fq`, `fq_list` in CKAN's query syntax,
//! `sort`, `rows`, `start`, facets, `include_private`, `include_drafts`) read into an engine
//! search over the tantivy index. Result dicts come from the index, where every write stores
//! the dict it returned (as CKAN does with Solr); facet titles come from the database.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::access::{self, Capacity};
use super::datasets::view::DatasetView;
use super::params::{self, Errors};
use super::{vocab, Actor, AppContext, Dict};
use crate::db::schema::{organizations, themes};
use crate::error::{AppError, AppResult, FieldCode, FieldMessage};
use crate::search::ckan_syntax;
use crate::search::engine::{
    Condition, EncodedPage, Hits, Search, SearchIndex, SortBy, SortField, Visibility,
};
use crate::search::facets::FacetCounts;

/// Facet fields offered, with their Vietnamese / English titles.
const FACETS: &[(&str, &str)] = &[
    ("organization", "Tổ chức / Organizations"),
    ("groups", "Chủ đề / Groups"),
    ("tags", "Thẻ / Tags"),
    ("res_format", "Định dạng / Formats"),
    ("license_id", "Giấy phép / Licenses"),
    ("frequency", "Tần suất cập nhật / Update frequency"),
    ("place", "Địa bàn / Place"),
];

/// The visibility of the actor's search (anonymous visitors need no database lookup).
fn visibility(
    ctx: &AppContext,
    actor: &Actor,
    include_private: bool,
    include_drafts: bool,
) -> AppResult<Visibility> {
    if actor.user_id.is_none() {
        return Ok(Visibility::default());
    }
    let memberships = ctx.db.read(|conn| access::memberships_of(conn, actor))?;
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

/// Longest `q`, `fq` and `fq_list` item, in characters.
const MAX_QUERY_CHARS: usize = 2000;

/// Most `fq_list` items. CKAN's pages send one per facet chosen (a handful); before this cap
/// one anonymous 3 MB `fq_list` drove the server to 23.7 GB (issue 7).
const MAX_FQ_LIST: usize = 50;

/// Most `facet.field` entries read (there are six facets; CKAN clients ask for them once
/// each). 100,000 entries exhausted memory: a tally per entry (issue 7).
const MAX_FACET_FIELDS: usize = 50;

/// Most words and field clauses in one search (`q`, `fq` and `fq_list` together). The
/// longest search of the benchmark set has 7 (six words and a facet filter), CKAN's pages add
/// one clause per facet chosen, and the longest title of the demo catalogue, pasted whole, is
/// 21 words (median 11); 20,000 distinct words took 4.6 GB (issue 7).
const MAX_CLAUSES: usize = 100;

/// Results that can be paged through with `start` and `rows`, as Solr deployments cap it:
/// tantivy allocates for the whole run of hits before the page, and `start=1000000000`
/// aborted the process where address space is limited (issue 7).
const MAX_PAGE_END: i64 = 100_000;

/// CKAN's `package_search`, its result object as JSON text: pages are kept encoded in the
/// index's result cache and sent as they are.
pub fn package_search_encoded(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
) -> AppResult<Arc<EncodedPage>> {
    let mut e = Errors::default();
    let q = params::text(dict, "q", MAX_QUERY_CHARS, &mut e).unwrap_or_default();
    let fq = params::text(dict, "fq", MAX_QUERY_CHARS, &mut e).unwrap_or_default();
    let fq_list = fq_list(dict, &mut e);
    let rows = params::integer(dict, "rows", 1000, &mut e).unwrap_or(10);
    let start = params::integer(dict, "start", 1_000_000_000, &mut e).unwrap_or(0);
    if start + rows > MAX_PAGE_END {
        e.add("start", FieldCode::PageTooDeep.arg("max", MAX_PAGE_END));
    }
    let sort = params::text(dict, "sort", 200, &mut e).unwrap_or_default();
    let sort_keys = sort_by(&sort, &mut e);
    let facet_fields = facet_fields(dict, &mut e);
    let facet_limit = match dict.get("facet.limit") {
        Some(Value::Number(n)) if n.as_i64() == Some(-1) => 100_000,
        Some(Value::String(s)) if s.trim() == "-1" => 100_000,
        _ => params::integer(dict, "facet.limit", 100_000, &mut e).unwrap_or(50) as usize,
    };
    let facet_mincount = params::integer(dict, "facet.mincount", i64::MAX, &mut e).unwrap_or(1);
    let include_private = params::boolean(dict, "include_private", &mut e).unwrap_or(false);
    let include_drafts = params::boolean(dict, "include_drafts", &mut e).unwrap_or(false);
    let mut texts = vec![("q", q.as_str()), ("fq", fq.as_str())];
    texts.extend(fq_list.iter().map(|item| ("fq_list", item.as_str())));
    let condition = condition(&texts, &mut e);
    e.into_result()?;
    let index = super::indexing::ready_index(ctx, "package_search")?;

    let mut search = Search::new(condition);
    search.visibility = visibility(ctx, actor, include_private, include_drafts)?;
    search.rows = rows as usize;
    search.start = start as usize;
    search.sort = sort_keys;
    search.facets = facet_fields;
    search.facet_limit = facet_limit;
    search.facet_mincount = facet_mincount.max(1) as u64;
    let echo = if sort.is_empty() {
        "score desc, metadata_modified desc"
    } else {
        sort.as_str()
    };
    index.search_cached(&search, echo, |hits| {
        encode_page(ctx, index, &search, echo, hits)
    })
}

/// The condition of the query texts (parameter name, text), all of which must hold. Each
/// parameter that nests too deeply, or where the search passes [`MAX_CLAUSES`], is named in
/// `errors` once.
fn condition(texts: &[(&str, &str)], errors: &mut Errors) -> Condition {
    let mut conditions = Vec::new();
    let mut clauses = 0;
    let mut named: Vec<&str> = Vec::new();
    let mut refuse = |field, message: FieldMessage, errors: &mut Errors| {
        if !named.contains(&field) {
            named.push(field);
            errors.add(field, message);
        }
    };
    for &(field, text) in texts {
        match ckan_syntax::parse(text) {
            // An empty text or `*:*` asks nothing.
            Ok(Condition::All) => {}
            Ok(condition) => {
                clauses += condition.clauses();
                if clauses > MAX_CLAUSES {
                    refuse(
                        field,
                        FieldCode::TooManyClauses.arg("max", MAX_CLAUSES),
                        errors,
                    );
                }
                conditions.push(condition);
            }
            Err(ckan_syntax::SyntaxError::TooDeep) => {
                let depth = ckan_syntax::MAX_DEPTH;
                refuse(field, FieldCode::NestedTooDeep.arg("depth", depth), errors);
            }
        }
    }
    Condition::Every(conditions)
}

/// `fq_list`: at most [`MAX_FQ_LIST`] texts of at most [`MAX_QUERY_CHARS`] characters each,
/// in NFC as `q` and `fq` are (items that are not text say nothing, as before).
fn fq_list(dict: &Dict, errors: &mut Errors) -> Vec<String> {
    let items = bounded_list(dict, "fq_list", MAX_FQ_LIST, errors);
    let mut texts = Vec::with_capacity(items.len());
    for item in items.iter().filter_map(Value::as_str) {
        if item.chars().count() > MAX_QUERY_CHARS {
            errors.add(
                "fq_list",
                FieldCode::QueryItemTooLong.arg("max", MAX_QUERY_CHARS),
            );
            return Vec::new();
        }
        texts.push(vocab::nfc(item.trim()));
    }
    texts
}

/// `facet.field`: the known facets asked for, each once, in the order asked (unknown names
/// say nothing, as in CKAN without those Solr fields).
fn facet_fields(dict: &Dict, errors: &mut Errors) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for name in bounded_list(dict, "facet.field", MAX_FACET_FIELDS, errors)
        .iter()
        .filter_map(Value::as_str)
    {
        if FACETS.iter().any(|(known, _)| *known == name) && !fields.iter().any(|f| f == name) {
            fields.push(name.to_owned());
        }
    }
    fields
}

/// A list parameter of at most `max` items, read as `params::list` reads lists (a JSON array,
/// or on GET a JSON-encoded string or one value), but refused before an item is copied when
/// longer: the encoded form is counted first without keeping anything.
fn bounded_list(dict: &Dict, field: &str, max: usize, errors: &mut Errors) -> Vec<Value> {
    let count = match dict.get(field) {
        Some(Value::Array(items)) => items.len(),
        Some(Value::String(s)) if s.trim_start().starts_with('[') => {
            // Zero-sized items: counting allocates nothing per item.
            match serde_json::from_str::<Vec<serde::de::IgnoredAny>>(s) {
                Ok(items) => items.len(),
                Err(_) => 0, // `params::list` names the error below.
            }
        }
        _ => 0,
    };
    if count > max {
        errors.add(field, FieldCode::ListTooLong.arg("max", max));
        return Vec::new();
    }
    params::list(dict, field, errors).unwrap_or_default()
}

/// The `notes` of a stored dict, read without building the whole dict.
#[derive(serde::Deserialize)]
struct Notes<'a> {
    #[serde(borrow, default)]
    notes: Option<std::borrow::Cow<'a, str>>,
}

/// The result object of a search page as JSON text. Stored dicts are copied as they are
/// (parsed only to put the site URL into upload links), with the highlighted passage of
/// the description added as `search_snippet` (not a CKAN field) when text was searched, and
/// `search_suggestions` ("did you mean") and `search_relaxed` (closest matches) when the
/// engine says so.
fn encode_page(
    ctx: &AppContext,
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
            // The stored view keeps upload links relative: the site URL goes on here.
            let view: DatasetView = serde_json::from_str(text).map_err(internal)?;
            let view = view.with_site_url(&ctx.site_url);
            dicts.push(serde_json::to_string(&view).map_err(internal)?.into());
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
    let (facets, search_facets) = facet_dicts(ctx, &hits.facets)?;
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
    // Ours (CKAN clients ignore them), only when they say something: corrected texts to
    // offer, and whether the results are closest matches rather than exact ones.
    if !hits.suggestions.is_empty() {
        out.push_str(r#","search_suggestions":"#);
        out.push_str(&serde_json::to_string(&hits.suggestions).map_err(internal)?);
    }
    if hits.relaxed {
        out.push_str(r#","search_relaxed":true"#);
    }
    out.push('}');
    Ok(out)
}

/// CKAN's `facets` (value -> count) and `search_facets` (titled items with display names).
fn facet_dicts(ctx: &AppContext, counts: &FacetCounts) -> AppResult<(Value, Value)> {
    if counts.is_empty() {
        return Ok((json!({}), json!({})));
    }
    let names = ctx.db.read(|conn| display_names(conn, counts))?;
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
                // `display_name_en` is ours (CKAN clients ignore it): the English pages'.
                let (display, display_en) = names
                    .get(&(field.clone(), n.clone()))
                    .map_or((n.as_str(), ""), |(vi, en)| (vi.as_str(), en.as_str()));
                json!({"name": n, "display_name": display, "display_name_en": display_en, "count": c})
            })
            .collect();
        search_facets.insert(field.clone(), json!({"title": title, "items": items}));
    }
    Ok((Value::Object(facets), Value::Object(search_facets)))
}

/// Display names of facet values (Vietnamese, English): organisation and theme titles, licence
/// and frequency labels.
fn display_names(
    conn: &mut crate::db::DbConnection,
    facets: &FacetCounts,
) -> AppResult<HashMap<(String, String), (String, String)>> {
    let mut names = HashMap::new();
    for (field, items) in facets {
        let values: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
        let titled = |(name, title, title_en): (String, String, Option<String>)| {
            (name, (title, title_en.unwrap_or_default()))
        };
        let pairs: Vec<(String, (String, String))> = match field.as_str() {
            "organization" => organizations::table
                .filter(organizations::name.eq_any(&values))
                .select((
                    organizations::name,
                    organizations::title,
                    organizations::title_en,
                ))
                .load(conn)?
                .into_iter()
                .map(titled)
                .collect(),
            "groups" => themes::table
                .filter(themes::name.eq_any(&values))
                .select((themes::name, themes::title, themes::title_en))
                .load(conn)?
                .into_iter()
                .map(titled)
                .collect(),
            "license_id" => values
                .iter()
                .filter_map(|v| {
                    let l = vocab::license(v)?;
                    Some(((*v).to_owned(), (l.title.to_owned(), l.title_en.to_owned())))
                })
                .collect(),
            "frequency" => values
                .iter()
                .filter_map(|v| {
                    let f = vocab::FREQUENCIES.iter().find(|f| f.0 == *v)?;
                    Some(((*v).to_owned(), (f.1.to_owned(), f.2.to_owned())))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (value, titles) in pairs {
            names.insert((field.clone(), value), titles);
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
                errors.add("sort", FieldCode::UnknownSortKey.arg("key", other));
                continue;
            }
        };
        let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                errors.add("sort", FieldCode::SortDirection.arg("direction", other));
                false
            }
        };
        keys.push((field, descending));
    }
    SortBy(keys)
}
