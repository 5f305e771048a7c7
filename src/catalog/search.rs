//! CKAN's `package_search`: its parameters (`q` with `field:value`, quotes, NOT and `*:*`;
//! `fq`, `fq_list`, `sort`, `rows`, `start`, facets, `include_private`, `include_drafts`) read
//! into an engine search over the tantivy index; results are whole dataset dicts from the
//! database, the source of truth.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::access::{self, Capacity};
use super::datasets::dicts_for;
use super::params::{self, Errors};
use super::{vocab, Actor, Catalog, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{datasets, organizations, themes};
use crate::error::{AppError, AppResult};
use crate::search::document::micros;
use crate::search::engine::{Search, SortBy, Visibility};
use tantivy::Order;

/// Facet fields offered, with their Vietnamese / English titles.
const FACETS: &[(&str, &str)] = &[
    ("organization", "Tổ chức / Organizations"),
    ("groups", "Chủ đề / Groups"),
    ("tags", "Thẻ / Tags"),
    ("res_format", "Định dạng / Formats"),
    ("license_id", "Giấy phép / Licenses"),
    ("frequency", "Tần suất cập nhật / Update frequency"),
];

/// One condition of `q` or `fq`.
#[derive(Debug, Clone, PartialEq)]
enum Clause {
    /// Free text: every listed word must appear.
    Text(String),
    /// A quoted phrase: its words must appear side by side.
    Phrase(String),
    /// `field:value`.
    Field(String, String),
    /// `field:[from TO to]`, `*` for open ends.
    Range(String, String, String),
}

/// Splits CKAN/Solr query text into clauses with their negation. Unknown `field:` prefixes and
/// anything unreadable are kept as free text, so no input is an error.
fn parse(query: &str) -> Vec<(bool, Clause)> {
    let mut out = Vec::new();
    let mut rest = query.trim();
    let mut negate_next = false;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let mut negate = std::mem::take(&mut negate_next);
        if let Some(r) = rest.strip_prefix('-') {
            negate = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            rest = r;
        }
        let (token, remaining) = next_token(rest);
        rest = remaining;
        match token.as_str() {
            "" | "AND" | "OR" | "&&" | "||" | "*:*" => continue,
            "NOT" => {
                negate_next = true;
                continue;
            }
            _ => {}
        }
        let clause = match token.split_once(':') {
            Some((field, value)) if is_field(field) && !value.is_empty() => {
                let value = value.trim_matches('"');
                if value.starts_with('[') && value.ends_with(']') {
                    let inner = &value[1..value.len() - 1];
                    match inner.split_once(" TO ") {
                        Some((a, b)) => Clause::Range(
                            field.to_owned(),
                            a.trim().to_owned(),
                            b.trim().to_owned(),
                        ),
                        None => Clause::Text(inner.to_owned()),
                    }
                } else {
                    Clause::Field(field.to_owned(), value.to_owned())
                }
            }
            _ if token.len() > 2 && token.starts_with('"') && token.ends_with('"') => {
                Clause::Phrase(token[1..token.len() - 1].to_owned())
            }
            _ => Clause::Text(token.trim_matches('"').to_owned()),
        };
        out.push((negate, clause));
    }
    out
}

fn is_field(field: &str) -> bool {
    matches!(
        field,
        "organization"
            | "owner_org"
            | "tags"
            | "groups"
            | "res_format"
            | "license_id"
            | "frequency"
            | "name"
            | "id"
            | "title"
            | "text"
            | "state"
            | "private"
            | "metadata_modified"
            | "metadata_created"
            | "spatial_code"
    )
}

/// The next token: a quoted phrase, a field with a quoted or bracketed value, or a word.
fn next_token(text: &str) -> (String, &str) {
    let mut end = 0;
    let mut quoted = false;
    let mut bracket = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' if !bracket => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            c if c.is_whitespace() && !quoted && !bracket => break,
            _ => {}
        }
        end = i + c.len_utf8();
    }
    (text[..end].to_owned(), &text[end..])
}

/// The engine search for CKAN's clauses; unknown fields and unreadable input are free text.
fn engine_search(clauses: Vec<(bool, Clause)>, visibility: Visibility) -> Search {
    let mut search = Search {
        text: String::new(),
        phrases: Vec::new(),
        keywords: Vec::new(),
        ranges: Vec::new(),
        visibility,
        sort: SortBy::Score,
        rows: 10,
        start: 0,
        facets: Vec::new(),
        facet_limit: 50,
        facet_mincount: 1,
    };
    for (negate, clause) in clauses {
        match clause {
            Clause::Text(text) if !negate => {
                search.text.push(' ');
                search.text.push_str(&text);
            }
            Clause::Phrase(text) if !negate => search.phrases.push(text),
            Clause::Phrase(_) => {}
            // Negated free text has no ranking meaning; it is ignored as CKAN's default
            // dismax parser would treat a bare "-word" it cannot match.
            Clause::Text(_) => {}
            Clause::Field(field, value) if field == "title" || field == "text" => {
                search.text.push(' ');
                search.text.push_str(&value);
            }
            Clause::Field(field, value) => {
                let value = match field.as_str() {
                    "res_format" => value.to_uppercase(),
                    "tags" => vocab::nfc(&value),
                    _ => value,
                };
                search.keywords.push((field, value, negate));
            }
            Clause::Range(field, from, to) => {
                let bound = |v: &str| {
                    if v == "*" {
                        None
                    } else {
                        let v = v.trim_end_matches('Z');
                        let v = if v.contains('.') {
                            v.to_owned()
                        } else {
                            format!("{v}.000000")
                        };
                        Some(micros(&v))
                    }
                };
                search.ranges.push((field, bound(&from), bound(&to)));
            }
        }
    }
    search
}

/// The visibility of the actor's search.
fn visibility(
    cat: &Catalog,
    actor: &Actor,
    include_private: bool,
    include_drafts: bool,
) -> AppResult<Visibility> {
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

    let mut clauses = parse(&q);
    clauses.extend(parse(&fq));
    for item in &fq_list {
        if let Some(text) = item.as_str() {
            clauses.extend(parse(text));
        }
    }
    let mut search = engine_search(
        clauses,
        visibility(cat, actor, include_private, include_drafts)?,
    );
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

    cat.db.read(|conn| {
        let mut rows: Vec<DatasetRow> = datasets::table
            .filter(datasets::id.eq_any(&hits.ids))
            .select(DatasetRow::as_select())
            .load(conn)?;
        let position: HashMap<&str, usize> = hits.ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        rows.sort_by_key(|r| position.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
        let mut results = dicts_for(conn, &rows, &cat.site_url)?;
        let typed = format!("{} {}", search.text, search.phrases.join(" "));
        if !typed.trim().is_empty() {
            // Marked passages of the description for result lists (not a CKAN field).
            let notes: Vec<&str> = results.iter().map(|d| d["notes"].as_str().unwrap_or("")).collect();
            let snippets = index
                .snippets(&typed, &notes)
                .map_err(|e| AppError::Internal(e.context("highlighting")))?;
            for (dict, snippet) in results.iter_mut().zip(snippets) {
                dict["search_snippet"] = Value::String(snippet);
            }
        }
        let names = display_names(conn, &hits.facets)?;
        let mut facets = serde_json::Map::new();
        let mut search_facets = serde_json::Map::new();
        for (field, items) in &hits.facets {
            facets.insert(field.clone(), json!(items.iter().map(|(n, c)| (n.clone(), json!(c))).collect::<serde_json::Map<_, _>>()));
            let title = FACETS.iter().find(|(n, _)| n == field).map(|(_, t)| *t).unwrap_or("");
            search_facets.insert(field.clone(), json!({
                "title": title,
                "items": items.iter().map(|(n, c)| json!({
                    "name": n,
                    "display_name": names.get(&(field.clone(), n.clone())).cloned().unwrap_or_else(|| n.clone()),
                    "count": c,
                })).collect::<Vec<_>>(),
            }));
        }
        Ok(json!({
            "count": hits.count,
            "results": results,
            "sort": if sort.is_empty() { "score desc, metadata_modified desc" } else { sort.as_str() },
            "facets": facets,
            "search_facets": search_facets,
        }))
    })
}

/// Display names of facet values: organisation and theme titles, licence and frequency labels.
fn display_names(
    conn: &mut crate::db::DbConnection,
    facets: &crate::search::engine::FacetCounts,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_phrases_ranges_and_negation() {
        let clauses = parse(
            r#"giá đất organization:so-tai-chinh -tags:"quy hoạch" metadata_modified:[2025-01-01T00:00:00Z TO *]"#,
        );
        assert_eq!(clauses[0], (false, Clause::Text("giá".into())));
        assert_eq!(
            clauses[2],
            (
                false,
                Clause::Field("organization".into(), "so-tai-chinh".into())
            )
        );
        assert_eq!(
            clauses[3],
            (true, Clause::Field("tags".into(), "quy hoạch".into()))
        );
        assert_eq!(
            clauses[4],
            (
                false,
                Clause::Range(
                    "metadata_modified".into(),
                    "2025-01-01T00:00:00Z".into(),
                    "*".into()
                )
            )
        );
    }

    #[test]
    fn unreadable_input_becomes_text() {
        let clauses = parse("Sở Lao động - Thương binh và Xã hội dân số: 2023 \"unclosed");
        assert!(clauses.iter().all(|(_, c)| matches!(c, Clause::Text(_))));
    }
}
