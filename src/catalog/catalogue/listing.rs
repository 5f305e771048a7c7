//! `catalogue_entry_list`: entries the caller may see, filtered by department, status,
//! version and words, sorted (the data office's ranking by demand among them) and paged like
//! `package_search` (`rows`, `start`, an answer of `count` and `results`).
//!
//! Status, department and version filter in SQL; visibility, words and sorting (demand is
//! computed, not stored) in memory over what is left: a province's catalogue holds hundreds of
//! entries, not the datasets' hundreds of thousands, so the search index is not needed here.

use std::collections::HashSet;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::entries::{views, EntryView};
use super::{status, EntryRow};
use crate::catalog::access;
use crate::catalog::params::{self, Errors};
use crate::catalog::{organizations, Actor, AppContext, Dict};
use crate::db::schema::{catalogue_entries, catalogue_version_entries};
use crate::enums::EntryStatus;
use crate::error::{AppResult, FieldCode};
use crate::search::analyzer;

/// Sort keys of the list: (key, default direction descending).
pub const SORT_KEYS: &[&str] = &[
    "modified",
    "priority",
    "demand",
    "planned_publication",
    "title",
];

/// A page of entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryPage {
    /// Entries matching, before paging.
    pub count: usize,
    /// This page.
    pub results: Vec<EntryView>,
}

struct Filters {
    owner_org: Option<String>,
    status: Option<EntryStatus>,
    version: Option<i64>,
    q: Option<String>,
    sort: (String, bool),
    rows: usize,
    start: usize,
}

fn read_filters(dict: &Dict) -> AppResult<Filters> {
    let mut errors = Errors::default();
    let owner_org = params::text(dict, "owner_org", 200, &mut errors).filter(|s| !s.is_empty());
    let status = params::text(dict, "status", 40, &mut errors)
        .filter(|s| !s.is_empty())
        .and_then(|word| match word.parse::<EntryStatus>() {
            Ok(status) => Some(status),
            Err(_) => {
                let all: Vec<&str> = EntryStatus::ALL.iter().map(|s| s.as_str()).collect();
                errors.add(
                    "status",
                    FieldCode::UnknownChoice.arg("choices", all.join(", ")),
                );
                None
            }
        });
    let version = params::integer(dict, "version", i64::from(i32::MAX), &mut errors);
    let q = params::text(dict, "q", 500, &mut errors).filter(|s| !s.is_empty());
    let sort_text = params::text(dict, "sort", 60, &mut errors).unwrap_or_default();
    let mut words = sort_text.split_whitespace();
    let key = words.next().unwrap_or("modified").to_owned();
    if !SORT_KEYS.contains(&key.as_str()) {
        errors.add("sort", FieldCode::UnknownSortKey.arg("key", key.clone()));
    }
    let descending = match words.next() {
        None => !matches!(key.as_str(), "planned_publication" | "title"),
        Some("desc") => true,
        Some("asc") => false,
        Some(other) => {
            errors.add("sort", FieldCode::SortDirection.arg("direction", other));
            true
        }
    };
    let rows = params::integer(dict, "rows", 1000, &mut errors).unwrap_or(20);
    let start = params::integer(dict, "start", 100_000, &mut errors).unwrap_or(0);
    errors.into_result()?;
    Ok(Filters {
        owner_org,
        status,
        version,
        q,
        sort: (key, descending),
        rows: usize::try_from(rows).unwrap_or(20),
        start: usize::try_from(start).unwrap_or(0),
    })
}

/// `catalogue_entry_list`.
pub fn entry_list(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryPage> {
    let filters = read_filters(dict)?;
    ctx.db.read(|conn| {
        let mut query = catalogue_entries::table
            .filter(catalogue_entries::deleted.eq(false))
            .into_boxed();
        if let Some(org) = &filters.owner_org {
            // An unknown department matches nothing, as an unknown fq value does.
            let id = organizations::find(conn, org)?
                .map(|o| o.id)
                .unwrap_or_default();
            query = query.filter(catalogue_entries::owner_org.eq(id));
        }
        if let Some(status) = filters.status {
            query = query.filter(catalogue_entries::status.eq(status));
        }
        if let Some(version) = filters.version {
            let ids: Vec<String> = catalogue_version_entries::table
                .filter(catalogue_version_entries::version.eq(i32::try_from(version).unwrap_or(0)))
                .select(catalogue_version_entries::entry_id)
                .load(conn)?;
            query = query.filter(catalogue_entries::id.eq_any(ids));
        }
        let rows: Vec<EntryRow> = query.select(EntryRow::as_select()).load(conn)?;
        let own: HashSet<String> = access::memberships_of(conn, actor)?
            .into_iter()
            .map(|(org, _)| org)
            .collect();
        let wanted = filters.q.as_deref().map(query_terms);
        let rows: Vec<EntryRow> = rows
            .into_iter()
            .filter(|r| {
                status::public(r.status) || actor.is_reviewer() || own.contains(&r.owner_org)
            })
            .filter(|r| wanted.as_ref().is_none_or(|terms| matches_terms(r, terms)))
            .collect();
        let mut all = views(conn, rows, false)?;
        sort(&mut all, &filters.sort.0, filters.sort.1);
        let count = all.len();
        let results = all
            .into_iter()
            .skip(filters.start)
            .take(filters.rows)
            .collect();
        Ok(EntryPage { count, results })
    })
}

fn query_terms(q: &str) -> Vec<String> {
    analyzer::terms(&mut analyzer::folded(), q)
}

/// Every word of the query is a word of the title or description (accents optional).
fn matches_terms(row: &EntryRow, wanted: &[String]) -> bool {
    let mut folded = analyzer::folded();
    let mut have: HashSet<String> = analyzer::terms(&mut folded, &row.title)
        .into_iter()
        .collect();
    have.extend(analyzer::terms(&mut folded, &row.description));
    wanted.iter().all(|term| have.contains(term))
}

fn sort(all: &mut [EntryView], key: &str, descending: bool) {
    all.sort_by(|a, b| {
        let order = match key {
            "priority" => a.priority.cmp(&b.priority),
            "demand" => a.demand.score.cmp(&b.demand.score),
            "planned_publication" => a.planned_publication.cmp(&b.planned_publication),
            "title" => a.title.cmp(&b.title),
            _ => a.modified.cmp(&b.modified),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.id.cmp(&b.id))
    });
}
