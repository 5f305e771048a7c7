//! CKAN's `package_search` over the database: its parameters, result shape, facets and
//! permissions. Relevance ranking and Vietnamese-aware matching come with the tantivy index;
//! until then free text matches by case-insensitive substring, every word required.

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde_json::{json, Value};

use super::access::{self, Capacity};
use super::datasets::dicts_for;
use super::params::{self, Errors};
use super::themes::escape_like;
use super::{vocab, Actor, Catalog, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{dataset_tags, dataset_themes, datasets, organizations, resources, themes};
use crate::db::{lower, DbConnection};
use crate::error::AppResult;

type Backend = <DbConnection as diesel::Connection>::Backend;
type Condition = Box<dyn BoxableExpression<datasets::table, Backend, SqlType = Bool>>;

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

fn condition(clause: &Clause) -> Condition {
    match clause {
        Clause::Text(text) => {
            let mut all: Condition = Box::new(sql::<Bool>("1=1"));
            for word in text.split_whitespace() {
                let pattern = format!("%{}%", escape_like(&vocab::nfc(&word.to_lowercase())));
                let tagged = dataset_tags::table
                    .filter(lower(dataset_tags::tag).like(pattern.clone()).escape('\\'))
                    .select(dataset_tags::dataset_id);
                let one = lower(datasets::title)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(datasets::notes).like(pattern.clone()).escape('\\'))
                    .or(lower(datasets::name).like(pattern.clone()).escape('\\'))
                    .or(datasets::id.eq_any(tagged));
                all = Box::new(all.and(one));
            }
            all
        }
        Clause::Field(field, value) => field_condition(field, value.clone()),
        Clause::Range(field, from, to) => {
            let mut all: Condition = Box::new(sql::<Bool>("1=1"));
            let bound = |v: &str| v.trim_end_matches('Z').replace("NOW", "9999");
            if from != "*" {
                all = if field == "metadata_created" {
                    Box::new(all.and(datasets::metadata_created.ge(bound(from))))
                } else {
                    Box::new(all.and(datasets::metadata_modified.ge(bound(from))))
                };
            }
            if to != "*" {
                // An end like 2026-01-01T00:00:00 includes that instant and its microseconds.
                let end = format!("{}~", bound(to));
                all = if field == "metadata_created" {
                    Box::new(all.and(datasets::metadata_created.le(end)))
                } else {
                    Box::new(all.and(datasets::metadata_modified.le(end)))
                };
            }
            all
        }
    }
}

fn field_condition(field: &str, value: String) -> Condition {
    match field {
        "organization" => Box::new(
            datasets::owner_org.eq_any(
                organizations::table
                    .filter(organizations::name.eq(value))
                    .select(organizations::id),
            ),
        ),
        "owner_org" => Box::new(datasets::owner_org.eq(value)),
        "tags" => Box::new(
            datasets::id.eq_any(
                dataset_tags::table
                    .filter(dataset_tags::tag.eq(vocab::nfc(&value)))
                    .select(dataset_tags::dataset_id),
            ),
        ),
        "groups" => Box::new(
            datasets::id.eq_any(
                dataset_themes::table
                    .inner_join(themes::table)
                    .filter(themes::name.eq(value))
                    .select(dataset_themes::dataset_id),
            ),
        ),
        "res_format" => Box::new(
            datasets::id.eq_any(
                resources::table
                    .filter(lower(resources::format).eq(value.to_lowercase()))
                    .filter(resources::state.eq("active"))
                    .select(resources::dataset_id),
            ),
        ),
        "license_id" => Box::new(datasets::license_id.eq(value)),
        "frequency" => Box::new(datasets::frequency.eq(value)),
        "spatial_code" => Box::new(datasets::spatial_code.eq(value)),
        "name" => Box::new(datasets::name.eq(value)),
        "id" => Box::new(datasets::id.eq(value)),
        "state" => Box::new(datasets::state.eq(value)),
        "private" => Box::new(datasets::private.eq(value == "true")),
        _ => condition(&Clause::Text(value)),
    }
}

/// What the actor may see: active public datasets, plus private ones of their organisations
/// when `include_private`, plus drafts they may edit when `include_drafts`.
fn visibility(
    conn: &mut DbConnection,
    actor: &Actor,
    include_private: bool,
    include_drafts: bool,
) -> AppResult<Condition> {
    let private_ok: Condition = if include_private && actor.sysadmin {
        Box::new(sql::<Bool>("1=1"))
    } else if include_private {
        let orgs = access::organizations_with(conn, actor, Capacity::Member)?;
        Box::new(
            datasets::private
                .eq(false)
                .or(datasets::owner_org.eq_any(orgs)),
        )
    } else {
        Box::new(datasets::private.eq(false))
    };
    let state_ok: Condition = if include_drafts && actor.sysadmin {
        Box::new(datasets::state.eq_any(["active", "draft"]))
    } else if include_drafts && actor.user_id.is_some() {
        let orgs = access::organizations_with(conn, actor, Capacity::Editor)?;
        let me = actor.user_id.clone().unwrap_or_default();
        Box::new(
            datasets::state
                .eq("active")
                .or(datasets::state.eq("draft").and(
                    datasets::owner_org
                        .eq_any(orgs)
                        .or(datasets::creator_user_id.assume_not_null().eq(me)),
                )),
        )
    } else {
        Box::new(datasets::state.eq("active"))
    };
    Ok(Box::new(private_ok.and(state_ok)))
}

struct SearchRequest {
    clauses: Vec<(bool, Clause)>,
    include_private: bool,
    include_drafts: bool,
}

impl SearchRequest {
    fn filter(&self, conn: &mut DbConnection, actor: &Actor) -> AppResult<Condition> {
        let mut all = visibility(conn, actor, self.include_private, self.include_drafts)?;
        for (negate, clause) in &self.clauses {
            let c = condition(clause);
            all = if *negate {
                Box::new(all.and(diesel::dsl::not(c)))
            } else {
                Box::new(all.and(c))
            };
        }
        Ok(all)
    }
}

/// CKAN's `package_search`.
pub fn package_search(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let mut e = Errors::default();
    let q = params::text(dict, "q", 2000, &mut e).unwrap_or_default();
    let fq = params::text(dict, "fq", 2000, &mut e).unwrap_or_default();
    let fq_list = params::list(dict, "fq_list", &mut e).unwrap_or_default();
    let rows = params::integer(dict, "rows", 1000, &mut e).unwrap_or(10);
    let start = params::integer(dict, "start", i64::MAX, &mut e).unwrap_or(0);
    let sort = params::text(dict, "sort", 200, &mut e).unwrap_or_default();
    let facet_fields = params::list(dict, "facet.field", &mut e).unwrap_or_default();
    let facet_limit = match dict.get("facet.limit") {
        Some(Value::Number(n)) if n.as_i64() == Some(-1) => None,
        Some(Value::String(s)) if s.trim() == "-1" => None,
        _ => Some(params::integer(dict, "facet.limit", 100_000, &mut e).unwrap_or(50) as usize),
    };
    let facet_mincount = params::integer(dict, "facet.mincount", i64::MAX, &mut e).unwrap_or(1);
    let include_private = params::boolean(dict, "include_private", &mut e).unwrap_or(false);
    let include_drafts = params::boolean(dict, "include_drafts", &mut e).unwrap_or(false);
    e.into_result()?;

    let mut clauses = parse(&q);
    clauses.extend(parse(&fq));
    for item in &fq_list {
        if let Some(text) = item.as_str() {
            clauses.extend(parse(text));
        }
    }
    let request = SearchRequest {
        clauses,
        include_private,
        include_drafts,
    };
    let facet_fields: Vec<String> = facet_fields
        .iter()
        .filter_map(Value::as_str)
        .filter(|f| FACETS.iter().any(|(name, _)| name == f))
        .map(str::to_owned)
        .collect();

    cat.db.read(|conn| {
        let count: i64 = datasets::table
            .filter(request.filter(conn, actor)?)
            .count()
            .get_result(conn)?;
        let mut page = datasets::table
            .filter(request.filter(conn, actor)?)
            .select(DatasetRow::as_select())
            .limit(rows)
            .offset(start)
            .into_boxed();
        for (field, descending) in sort_keys(&sort) {
            page = match (field, descending) {
                ("metadata_created", true) => page.then_order_by(datasets::metadata_created.desc()),
                ("metadata_created", false) => page.then_order_by(datasets::metadata_created.asc()),
                ("title_string", true) => page.then_order_by(datasets::title.desc()),
                ("title_string", false) => page.then_order_by(datasets::title.asc()),
                ("name", true) => page.then_order_by(datasets::name.desc()),
                ("name", false) => page.then_order_by(datasets::name.asc()),
                (_, false) => page.then_order_by(datasets::metadata_modified.asc()),
                (_, true) => page.then_order_by(datasets::metadata_modified.desc()),
            };
        }
        let page_rows: Vec<DatasetRow> = page.then_order_by(datasets::id.asc()).load(conn)?;
        let results = dicts_for(conn, &page_rows, &cat.site_url)?;

        let mut facets = serde_json::Map::new();
        let mut search_facets = serde_json::Map::new();
        let matching = if facet_fields.is_empty() {
            Matching { rows: Vec::new() }
        } else {
            Matching::load(conn, actor, &request)?
        };
        for field in &facet_fields {
            let counts = facet_counts(conn, &matching, field)?;
            let mut items: Vec<(String, String, i64)> = counts
                .into_iter()
                .filter(|(_, (_, n))| *n >= facet_mincount)
                .map(|(name, (display, n))| (name, display, n))
                .collect();
            items.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
            if let Some(limit) = facet_limit {
                items.truncate(limit);
            }
            facets.insert(field.clone(), json!(items.iter().map(|(n, _, c)| (n.clone(), json!(c))).collect::<serde_json::Map<_, _>>()));
            let title = FACETS.iter().find(|(n, _)| n == field).map(|(_, t)| *t).unwrap_or("");
            search_facets.insert(field.clone(), json!({
                "title": title,
                "items": items.iter().map(|(n, d, c)| json!({"name": n, "display_name": d, "count": c})).collect::<Vec<_>>(),
            }));
        }
        Ok(json!({
            "count": count,
            "results": results,
            "sort": if sort.is_empty() { "score desc, metadata_modified desc" } else { sort.as_str() },
            "facets": facets,
            "search_facets": search_facets,
        }))
    })
}

/// `(field, descending)` pairs from CKAN's `sort` (default: newest change first).
fn sort_keys(sort: &str) -> Vec<(&str, bool)> {
    let keys: Vec<(&str, bool)> = sort
        .split(',')
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let field = words.next()?;
            let descending = words
                .next()
                .map(|d| d.eq_ignore_ascii_case("desc"))
                .unwrap_or(false);
            Some((field, descending))
        })
        .filter(|(field, _)| *field != "score")
        .collect();
    if keys.is_empty() {
        vec![("metadata_modified", true)]
    } else {
        keys
    }
}

/// The matching datasets' facet-relevant columns, loaded once per search with facets.
struct Matching {
    /// (id, owner_org, license_id, frequency) of every matching dataset.
    rows: Vec<(String, String, String, String)>,
}

/// Binds per query when listing matching ids (SQLite allows 32766).
const ID_CHUNK: usize = 10_000;

impl Matching {
    fn load(
        conn: &mut DbConnection,
        actor: &Actor,
        request: &SearchRequest,
    ) -> AppResult<Matching> {
        let rows = datasets::table
            .filter(request.filter(conn, actor)?)
            .select((
                datasets::id,
                datasets::owner_org,
                datasets::license_id,
                datasets::frequency,
            ))
            .load(conn)?;
        Ok(Matching { rows })
    }

    fn ids(&self) -> impl Iterator<Item = Vec<&str>> + '_ {
        self.rows
            .chunks(ID_CHUNK)
            .map(|chunk| chunk.iter().map(|r| r.0.as_str()).collect())
    }
}

/// value -> (display name, count) for one facet field over the matching datasets.
fn facet_counts(
    conn: &mut DbConnection,
    matching: &Matching,
    field: &str,
) -> AppResult<HashMap<String, (String, i64)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    match field {
        "organization" => {
            let org_rows: Vec<(String, String, String)> = organizations::table
                .select((organizations::id, organizations::name, organizations::title))
                .load(conn)?;
            let by_id: HashMap<&str, (&str, &str)> = org_rows
                .iter()
                .map(|(id, n, t)| (id.as_str(), (n.as_str(), t.as_str())))
                .collect();
            for (_, org, _, _) in &matching.rows {
                if let Some((name, title)) = by_id.get(org.as_str()) {
                    pairs.push(((*name).to_owned(), (*title).to_owned()));
                }
            }
        }
        "license_id" => {
            for (_, _, id, _) in &matching.rows {
                let title = vocab::license(id)
                    .map(|l| l.title.to_owned())
                    .unwrap_or_else(|| id.clone());
                pairs.push((id.clone(), title));
            }
        }
        "frequency" => {
            for (_, _, _, code) in matching.rows.iter().filter(|r| !r.3.is_empty()) {
                let label = vocab::FREQUENCIES
                    .iter()
                    .find(|f| f.0 == code)
                    .map(|f| f.1.to_owned())
                    .unwrap_or_else(|| code.clone());
                pairs.push((code.clone(), label));
            }
        }
        "groups" => {
            for ids in matching.ids() {
                let rows: Vec<(String, String)> = dataset_themes::table
                    .inner_join(themes::table)
                    .filter(dataset_themes::dataset_id.eq_any(ids))
                    .select((themes::name, themes::title))
                    .load(conn)?;
                pairs.extend(rows);
            }
        }
        "tags" => {
            for ids in matching.ids() {
                let rows: Vec<String> = dataset_tags::table
                    .filter(dataset_tags::dataset_id.eq_any(ids))
                    .select(dataset_tags::tag)
                    .load(conn)?;
                pairs.extend(rows.into_iter().map(|t| (t.clone(), t)));
            }
        }
        _ => {
            for ids in matching.ids() {
                let mut formats: Vec<(String, String)> = resources::table
                    .filter(resources::dataset_id.eq_any(ids))
                    .filter(resources::state.eq("active"))
                    .select((resources::dataset_id, resources::format))
                    .load(conn)?;
                // A dataset counts once per format, however many files it has in that format.
                formats.iter_mut().for_each(|(_, f)| *f = f.to_uppercase());
                formats.sort();
                formats.dedup();
                pairs.extend(
                    formats
                        .into_iter()
                        .filter(|(_, f)| !f.is_empty())
                        .map(|(_, f)| (f.clone(), f)),
                );
            }
        }
    }
    let mut counts: HashMap<String, (String, i64)> = HashMap::new();
    for (name, display) in pairs {
        counts.entry(name).or_insert((display, 0)).1 += 1;
    }
    Ok(counts)
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
