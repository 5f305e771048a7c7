//! `/catalogue`: the catalogue in force (the latest issued version and its decision), its
//! entries with their status, department, promises and due dates, filtered by department,
//! status and words, paged; links to the exports with the same filters.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::{compliance, date, CatalogueQuery, Line, ROWS, SORTS};
use crate::catalog::catalogue::listing::EntryPage;
use crate::catalog::catalogue::versions::VersionSummary;
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::enums::EntryStatus;
use crate::error::AppResult;
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::home::{lists_without_counts, OwnerItem};
use crate::http::pages::search::PageLink;
use crate::http::pages::{blocking, reply};

/// The catalogue's page.
#[derive(Template)]
#[template(path = "catalogue.html")]
pub struct CataloguePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The version in force, if any was issued.
    pub version: Option<VersionSummary>,
    /// The filters asked.
    pub query: CatalogueQuery,
    /// Entries matching, before paging.
    pub count: u64,
    /// This page's entries.
    pub lines: Vec<Line>,
    /// Departments to filter on: URL name and title.
    pub departments: Vec<(String, String)>,
    /// Statuses to filter on: code and name.
    pub statuses: Vec<(&'static str, String)>,
    /// Sorts: the action's sort, name, selected.
    pub sorts: Vec<(&'static str, String, bool)>,
    /// Page links.
    pub pages: Vec<PageLink>,
    /// The query string of the filters, for the exports' links (with `?`, or empty).
    pub export_query: String,
}

impl CataloguePage<'_> {
    /// A date as the reader writes it.
    pub fn date(&self, iso: &str) -> String {
        date(self.chrome, iso)
    }

    /// Entries of the version in force.
    pub fn entry_count(&self) -> u64 {
        self.version.as_ref().map_or(0, |v| v.entry_count as u64)
    }
}

/// Every entry the actor may see that matches `query`, in its order (the exports), read a
/// thousand at a time (the action's largest page).
pub fn all_entries(
    ctx: &AppContext,
    actor: &Actor,
    query: &CatalogueQuery,
) -> AppResult<EntryPage> {
    const BATCH: u64 = 1000;
    let mut first: EntryPage = actions::call_as(
        ctx,
        actor,
        "catalogue_entry_list",
        &query.list_dict(BATCH, 0),
    )?;
    while (first.results.len() as u64) < first.count as u64 {
        let start = first.results.len() as u64;
        let next: EntryPage = actions::call_as(
            ctx,
            actor,
            "catalogue_entry_list",
            &query.list_dict(BATCH, start),
        )?;
        if next.results.is_empty() {
            break;
        }
        first.results.extend(next.results);
    }
    Ok(first)
}

/// `GET /catalogue?q=&owner_org=&status=&sort=&page=`.
pub async fn catalogue_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let query = CatalogueQuery::of(&chrome);
    let asked = query.clone();
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let versions: Vec<VersionSummary> =
            actions::call_as(ctx, &actor, "catalogue_version_list", &Dict::new())?;
        let start = (asked.page - 1) * ROWS;
        let page: EntryPage = actions::call_as(
            ctx,
            &actor,
            "catalogue_entry_list",
            &asked.list_dict(ROWS, start),
        )?;
        let figures = compliance(ctx, &actor, "")?;
        let departments: Vec<OwnerItem> =
            actions::call_as(ctx, &actor, "organization_list", &lists_without_counts())?;
        Ok((
            versions,
            page,
            figures,
            departments,
            actor.is_authenticated(),
        ))
    })
    .await;
    let (versions, page, figures, departments, staff) = match found {
        Ok(found) => found,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let count = page.count as u64;
    let lines = page
        .results
        .into_iter()
        .map(|entry| Line::of(&chrome, entry, &figures))
        .collect();
    // Anonymous visitors can only ever find entries an issued catalogue made public.
    let statuses = EntryStatus::ALL
        .iter()
        .filter(|s| staff || crate::catalog::catalogue::status::public(**s))
        .map(|s| (s.as_str(), chrome.t(super::status_id(*s)).to_owned()))
        .collect();
    let sorts = SORTS
        .iter()
        .map(|(sort, id)| (*sort, chrome.t(id).to_owned(), *sort == query.sort))
        .collect();
    let last = count.div_ceil(ROWS).max(1);
    let pages = (1..=last)
        .filter(|n| *n == 1 || *n == last || n.abs_diff(query.page) <= 2)
        .map(|number| PageLink {
            number,
            url: with_query("/catalogue", &query.query_string(number)),
            current: number == query.page,
        })
        .collect();
    let filters = query.query_string(1);
    let template = CataloguePage {
        chrome: &chrome,
        version: versions.into_iter().next(),
        count,
        lines,
        departments: departments
            .into_iter()
            .map(|d| {
                let title = chrome
                    .pick(&d.title, d.title_en.as_deref().unwrap_or(""))
                    .to_owned();
                (d.name, title)
            })
            .collect(),
        statuses,
        sorts,
        pages,
        export_query: if filters.is_empty() {
            String::new()
        } else {
            format!("?{filters}")
        },
        query,
    };
    reply::page(&chrome, &template)
}

/// `path` with `query` (no `?` when empty).
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}
